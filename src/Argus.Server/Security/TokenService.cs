using System.Security.Cryptography;
using System.Text;
using Argus.Core.Security;

namespace Argus.Server.Security;

/// <summary>Opaque bearer tokens: random, stored only as SHA-256, expiring, revocable by deleting the row.</summary>
public sealed class TokenService(IUserStore users, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public async Task<(string Token, DateTimeOffset Expires)> IssueAsync(User user, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        var expires = now + Lifetime;
        await users.AddTokenAsync(HashOf(token), user.Id, now, expires, ct);
        return (token, expires);
    }

    public Task<User?> ValidateAsync(string token, CancellationToken ct) =>
        token.Length is < 20 or > 200 ? Task.FromResult<User?>(null) : users.FindByTokenAsync(HashOf(token), clock.GetUtcNow(), ct);

    public Task RevokeAsync(string token, CancellationToken ct) => users.DeleteTokenAsync(HashOf(token), ct);

    public static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
