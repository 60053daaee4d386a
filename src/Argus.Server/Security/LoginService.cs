using Argus.Core.Audit;
using Argus.Core.Security;

namespace Argus.Server.Security;

/// <summary>
/// Checks a name and password for the API and the console alike: rate-limited per address (10 a minute), timing
/// that does not reveal which names exist, and every attempt audited.
/// </summary>
public sealed class LoginService(IUserStore users, IAuditLog audit, TimeProvider clock, ILogger<LoginService> log)
{
    private readonly LoginThrottle _throttle = new(permits: 10, window: TimeSpan.FromMinutes(1), clock);
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    public enum Outcome { Ok, Wrong, Throttled, Invalid }

    public async Task<(Outcome Outcome, User? User)> LoginAsync(string? name, string? password, string? address, string via, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password) || name.Length > 100 || password.Length > 1000) return (Outcome.Invalid, null);
        if (!_throttle.TryTake(address ?? "?"))
        {
            await audit.AppendAsync(name, address, AuditActions.Login, null, false, $"{via}: too many attempts");
            return (Outcome.Throttled, null);
        }
        var found = await users.FindByNameAsync(name, ct);
        // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
        var ok = PasswordHasher.Verify(password, found?.PasswordHash ?? DummyHash.Value) && found is not null;
        await audit.AppendAsync(name, address, AuditActions.Login, null, ok, ok ? via : $"{via}: wrong user name or password");
        if (!ok)
        {
            log.LogWarning("Login failed for {User} from {Address}", name, address);
            return (Outcome.Wrong, null);
        }
        log.LogInformation("Login of {User} from {Address} ({Via})", name, address, via);
        return (Outcome.Ok, found!.Value.User);
    }
}
