namespace Argus.Core.Cameras;

/// <summary>Encrypts secrets (camera credentials) for storage at rest.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);
    string Unprotect(string protectedText);
}
