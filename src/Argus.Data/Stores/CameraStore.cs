using System.Text.Json;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

public sealed class CameraStore(IDbContextFactory<ArgusDb> factory, ISecretProtector secrets) : ICameraStore
{
    private sealed record Credentials(string User, string? Password);

    public async Task<CameraConfig?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Cameras.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return row is null ? null : ToConfig(row);
    }

    public async Task<IReadOnlyList<CameraConfig>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Cameras.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        return rows.Select(ToConfig).ToList();
    }

    public async Task AddAsync(CameraConfig camera, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Cameras.Add(ToRow(camera));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(CameraConfig camera, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Cameras.FirstOrDefaultAsync(c => c.Id == camera.Id, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(ToRow(camera));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Cameras.Where(c => c.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    private CameraRow ToRow(CameraConfig c) => new()
    {
        Id = c.Id,
        Name = c.Name,
        MainUrl = c.Main.Address,
        MainCredentials = ProtectCredentials(c.Main),
        SubUrl = c.Sub?.Address,
        SubCredentials = c.Sub is null ? null : ProtectCredentials(c.Sub),
        Transport = c.Transport == RtspTransport.Udp ? "udp" : "tcp",
        Location = c.Location,
        Description = c.Description,
        Paused = c.Paused,
        RetentionSeconds = c.RetentionMaxAge is { } age ? (long)age.TotalSeconds : null,
        CreatedAtMs = Database.ToMs(c.CreatedAt),
        Analysis = c.Analysis == AnalysisSettings.Default ? null : JsonSerializer.Serialize(c.Analysis),
        PrivacyCritical = c.PrivacyCritical ? true : null,
    };

    private CameraConfig ToConfig(CameraRow r) => new()
    {
        Id = r.Id,
        Name = r.Name,
        Main = WithCredentials(r.MainUrl, r.MainCredentials),
        Sub = r.SubUrl is null ? null : WithCredentials(r.SubUrl, r.SubCredentials),
        Transport = r.Transport == "udp" ? RtspTransport.Udp : RtspTransport.Tcp,
        Location = r.Location,
        Description = r.Description,
        Paused = r.Paused,
        RetentionMaxAge = r.RetentionSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
        CreatedAt = Database.FromMs(r.CreatedAtMs),
        Analysis = r.Analysis is null ? AnalysisSettings.Default : JsonSerializer.Deserialize<AnalysisSettings>(r.Analysis) ?? AnalysisSettings.Default,
        PrivacyCritical = r.PrivacyCritical == true,
    };

    private string? ProtectCredentials(SourceUrl url) =>
        url.UserName is null ? null : secrets.Protect(JsonSerializer.Serialize(new Credentials(url.UserName, url.Password)));

    private SourceUrl WithCredentials(string address, string? protectedCredentials)
    {
        var parsed = SourceUrl.Parse(address);
        if (protectedCredentials is null) return parsed;
        var c = JsonSerializer.Deserialize<Credentials>(secrets.Unprotect(protectedCredentials))!;
        return parsed with { UserName = c.User, Password = c.Password };
    }
}
