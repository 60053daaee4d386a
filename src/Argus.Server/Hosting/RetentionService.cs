using Argus.Media.Retention;
using Microsoft.Extensions.Options;

namespace Argus.Server.Hosting;

public sealed class RetentionService(RetentionEnforcer enforcer, IOptions<RetentionOptions> options, ILogger<RetentionService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await enforcer.RunAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "Retention run failed"); }
            try { await Task.Delay(options.Value.Interval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
