namespace Argus.Core.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";
    public static readonly string[] All = [Admin, Operator, Viewer];
}

public sealed record User(string Id, string Name, string Role, DateTimeOffset CreatedAt);

public interface IUserStore
{
    Task<int> CountAsync(CancellationToken ct = default);
    Task<User> AddAsync(string name, string passwordHash, string role, CancellationToken ct = default);
    Task<(User User, string PasswordHash)?> FindByNameAsync(string name, CancellationToken ct = default);
    Task<User?> FindByTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct = default);
    Task AddTokenAsync(string tokenHash, string userId, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct = default);
    Task<int> PurgeExpiredTokensAsync(DateTimeOffset now, CancellationToken ct = default);
    Task DeleteTokenAsync(string tokenHash, CancellationToken ct = default);
    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default);
    Task<User?> GetAsync(string id, CancellationToken ct = default);
    /// <summary>Changes role and/or password; either ends the user's sessions.</summary>
    Task<User?> UpdateAsync(string id, string? role, string? passwordHash, CancellationToken ct = default);
    /// <summary>Removes the user with their sessions and grants.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
