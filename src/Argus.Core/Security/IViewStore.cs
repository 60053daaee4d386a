namespace Argus.Core.Security;

/// <summary>Each user's saved console grid views, as the console's JSON.</summary>
public interface IViewStore
{
    Task<string?> GetAsync(string userId, CancellationToken ct = default);
    Task SetAsync(string userId, string json, CancellationToken ct = default);
}
