namespace Argus.Media.Live;

/// <summary>A unit of a live fMP4 stream: the init segment or one fragment.</summary>
public abstract class LivePiece
{
    /// <summary>The bytes exactly as they go to a viewer (and to MSE's SourceBuffer).</summary>
    public byte[] Data { get; }

    private protected LivePiece(byte[] data) => Data = data;
}

/// <summary>
/// The init segment (ftyp + moov) of one ffmpeg run, with what a player needs before appending it:
/// the RFC 6381 codec string (e.g. <c>avc1.64001f</c>) and the coded picture size.
/// </summary>
public sealed class LiveInit(byte[] data, string codec, int width, int height, uint timescale) : LivePiece(data)
{
    public string Codec { get; } = codec;
    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>Ticks per second of the video track's decode times.</summary>
    public uint Timescale { get; } = timescale;
}

/// <summary>One moof+mdat pair (one frame with the recorder's live output).</summary>
public sealed class LiveFragment(byte[] data, bool isKeyframe, ulong baseMediaDecodeTime) : LivePiece(data)
{
    /// <summary>Its first sample is a sync sample: a player can start decoding here.</summary>
    public bool IsKeyframe { get; } = isKeyframe;

    /// <summary>tfdt's decode time of the first sample, in the init's timescale.</summary>
    public ulong BaseMediaDecodeTime { get; } = baseMediaDecodeTime;
}

/// <summary>A delta frame the reader skipped because nobody watched: the cached GOP is no longer complete.</summary>
public sealed class LiveSkipped : LivePiece
{
    public static readonly LiveSkipped Instance = new();

    private LiveSkipped() : base([]) { }
}
