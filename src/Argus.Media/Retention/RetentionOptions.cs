namespace Argus.Media.Retention;

/// <summary>
/// Global storage limits, modelled on Milestone's thresholds: delete oldest below MinFreeBytes; the recorders
/// stop writing below CriticalFreeBytes if nothing more can be deleted (everything left is evidence-locked).
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Total bytes recordings may use; null for no quota.</summary>
    public long? QuotaBytes { get; set; }
    public long MinFreeBytes { get; set; } = 1L << 30;
    public long CriticalFreeBytes { get; set; } = 250L << 20;
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
