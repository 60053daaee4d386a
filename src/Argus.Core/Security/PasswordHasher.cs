using System.Security.Cryptography;

namespace Argus.Core.Security;

/// <summary>PBKDF2-HMAC-SHA256 with a random salt; the iteration count is stored so it can be raised later.</summary>
public static class PasswordHasher
{
    public const int DefaultIterations = 310_000;
    private const int SaltBytes = 16, HashBytes = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations)) return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Minimum rules for a password set by a person (the generated one is far stronger).</summary>
    public static string? Weakness(string? password) =>
        password is null || password.Length < 10 ? "password must be at least 10 characters." : null;

    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
