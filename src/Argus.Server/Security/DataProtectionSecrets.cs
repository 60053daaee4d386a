using Argus.Core.Cameras;
using Microsoft.AspNetCore.DataProtection;

namespace Argus.Server.Security;

/// <summary>Camera credentials encrypted with ASP.NET Data Protection (keys under data/keys).</summary>
public sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Argus.CameraCredentials.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);
    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
