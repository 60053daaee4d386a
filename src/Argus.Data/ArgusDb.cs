using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data;

public sealed class ArgusDb(DbContextOptions<ArgusDb> options) : DbContext(options)
{
    public DbSet<CameraRow> Cameras => Set<CameraRow>();
    public DbSet<SegmentRow> Segments => Set<SegmentRow>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<EvidenceLockRow> EvidenceLocks => Set<EvidenceLockRow>();
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<TokenRow> Tokens => Set<TokenRow>();
    public DbSet<GrantRow> Grants => Set<GrantRow>();
    public DbSet<AuditRow> Audit => Set<AuditRow>();
    public DbSet<ViewRow> Views => Set<ViewRow>();
    public DbSet<ZoneRow> Zones => Set<ZoneRow>();
    public DbSet<RuleRow> Rules => Set<RuleRow>();
    public DbSet<TimeProfileRow> TimeProfiles => Set<TimeProfileRow>();
    public DbSet<ArmingRow> Arming => Set<ArmingRow>();
    public DbSet<NotificationTargetRow> NotificationTargets => Set<NotificationTargetRow>();
    public DbSet<NotificationSettingRow> NotificationSettings => Set<NotificationSettingRow>();
    public DbSet<DeliveryRow> Deliveries => Set<DeliveryRow>();
    public DbSet<LineRow> Lines => Set<LineRow>();
    public DbSet<ObjectRuleRow> ObjectRules => Set<ObjectRuleRow>();
    public DbSet<LineCountRow> LineCounts => Set<LineCountRow>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<CameraRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(100);
        });
        b.Entity<SegmentRow>(e =>
        {
            e.HasIndex(x => new { x.CameraId, x.StartMs });
            e.HasIndex(x => x.StartMs);
            e.HasIndex(x => x.Path).IsUnique();
        });
        b.Entity<EventRow>(e =>
        {
            e.HasIndex(x => new { x.CameraId, x.StartMs });
            e.HasIndex(x => new { x.Type, x.StartMs });
        });
        b.Entity<EvidenceLockRow>(e => e.HasIndex(x => x.CameraId));
        b.Entity<UserRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<TokenRow>(e =>
        {
            e.HasKey(x => x.Hash);
            e.HasIndex(x => x.UserId);
        });
        b.Entity<ViewRow>(e => e.HasKey(x => x.UserId));
        b.Entity<GrantRow>(e => e.HasIndex(x => new { x.UserId, x.CameraId }).IsUnique());
        b.Entity<AuditRow>(e =>
        {
            e.HasKey(x => x.Seq);
            e.Property(x => x.Seq).ValueGeneratedNever();
            e.HasIndex(x => x.AtMs);
        });
        b.Entity<ZoneRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CameraId);
        });
        b.Entity<RuleRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CameraId);
        });
        b.Entity<LineRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CameraId);
        });
        b.Entity<ObjectRuleRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CameraId);
        });
        b.Entity<LineCountRow>(e =>
        {
            e.HasKey(x => new { x.CameraId, x.Line, x.StartMs, x.Class, x.Direction });
            e.HasIndex(x => x.StartMs);
        });
        b.Entity<TimeProfileRow>(e => e.HasKey(x => x.Id));
        b.Entity<ArmingRow>(e => e.HasKey(x => x.CameraId));
        b.Entity<NotificationTargetRow>(e => e.HasKey(x => x.Id));
        b.Entity<NotificationSettingRow>(e => e.HasKey(x => x.Channel));
        b.Entity<DeliveryRow>(e =>
        {
            e.HasIndex(x => x.QueuedMs);
            e.HasIndex(x => new { x.TargetId, x.QueuedMs });
        });
    }
}
