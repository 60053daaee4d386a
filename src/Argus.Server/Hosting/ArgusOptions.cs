namespace Argus.Server.Hosting;

/// <summary>Where this node keeps its state; everything defaults to one folder so a single box needs no setup.</summary>
public sealed class ArgusPaths
{
    public ArgusPaths(string dataDir)
    {
        Data = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(Data);
    }

    public string Data { get; }
    public string Database => Path.Combine(Data, "argus.db");
    public string Recordings => Path.Combine(Data, "recordings");
    public string Keys => Path.Combine(Data, "keys");
    public string Exports => Path.Combine(Data, "exports");
    /// <summary>Event snapshots, data/events/CAMERA/EVENT.jpg.</summary>
    public string Events => Path.Combine(Data, "events");
    public string Demo => Path.Combine(Data, "demo");
    /// <summary>Where the object detector's model is looked for unless --detector-model says otherwise.</summary>
    public string DefaultDetectorModel => Path.Combine(Data, "models", "yolox_nano.onnx");
}
