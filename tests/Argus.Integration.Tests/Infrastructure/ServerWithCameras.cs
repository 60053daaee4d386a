namespace Argus.Integration.Tests.Infrastructure;

/// <summary>The common shape of a recording test: one RTSP test bed and one Argus server, started per test and stopped after.</summary>
public abstract class ServerWithCameras(string[] testBedArgs, params string[] serverArgs) : IAsyncLifetime
{
    protected TestBed Bed { get; set; } = null!;
    protected ArgusServer Server { get; set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Bed = TestBed.Start(testBedArgs);
        Server = await ArgusServer.StartAsync(serverArgs);
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Bed.Dispose();
    }
}
