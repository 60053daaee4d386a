using System.Collections.Concurrent;
using Argus.Core.Alarms;

namespace Argus.Analytics.Arming;

/// <summary>
/// Whether each camera is armed now: its arming (API, console, MQTT) and time profiles, kept in memory so the analysis
/// threads can ask on every frame without touching the database.
/// </summary>
public sealed class ArmingService(IArmingStore store, ITimeProfileStore profiles, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, CameraArming> _arming = new();
    private volatile IReadOnlyDictionary<string, TimeProfile> _profiles = new Dictionary<string, TimeProfile>();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after a camera's arming changed (camera id, armed now, who).</summary>
    public event Action<string, bool, string>? Changed;

    public async Task LoadAsync(CancellationToken ct = default)
    {
        foreach (var a in await store.ListAsync(ct)) _arming[a.CameraId] = a;
        await ReloadProfilesAsync(ct);
    }

    public async Task ReloadProfilesAsync(CancellationToken ct = default) =>
        _profiles = (await profiles.ListAsync(ct)).ToDictionary(p => p.Id);

    public CameraArming Get(string cameraId) => _arming.TryGetValue(cameraId, out var a) ? a : CameraArming.Default(cameraId);

    public TimeProfile? Profile(string? id) => id is not null && _profiles.TryGetValue(id, out var p) ? p : null;

    public bool IsArmed(string cameraId, DateTimeOffset now)
    {
        var a = Get(cameraId);
        return a.IsArmed(now, Profile(a.ProfileId));
    }

    public bool IsArmed(string cameraId) => IsArmed(cameraId, clock.GetUtcNow());

    /// <summary>Sets a camera's arming. A schedule needs a known profile.</summary>
    /// <exception cref="ArgumentException">when the profile is missing or unknown.</exception>
    public async Task<CameraArming> SetAsync(string cameraId, ArmingMode mode, string? profileId, string by, CancellationToken ct = default)
    {
        if (mode == ArmingMode.Schedule && Profile(profileId) is null)
            throw new ArgumentException(profileId is null ? "mode 'schedule' needs a profile (a schedule id)." : $"no schedule with id '{profileId}'.");
        await _gate.WaitAsync(ct);
        CameraArming next;
        try
        {
            // Arming or disarming by hand keeps the profile, so "schedule" can be restored without naming it again.
            next = new CameraArming(cameraId, mode, profileId ?? Get(cameraId).ProfileId, clock.GetUtcNow(), by);
            await store.SetAsync(next, ct);
            _arming[cameraId] = next;
        }
        finally { _gate.Release(); }
        Changed?.Invoke(cameraId, IsArmed(cameraId), by);
        return next;
    }

    public bool ProfileInUse(string profileId) => _arming.Values.Any(a => a.ProfileId == profileId && a.Mode == ArmingMode.Schedule);

    public void Forget(string cameraId) => _arming.TryRemove(cameraId, out _);
}
