using System.Buffers.Binary;
using Argus.Media.Live;
using Microsoft.Win32.SafeHandles;

namespace Argus.Media.Ffmpeg;

/// <summary>
/// Validates a fragmented MP4 and reads its video duration from the box structure alone: the moov's video track
/// (timescale, codec, size) and the sample durations of every complete moof+mdat pair. It reads a few kilobytes of
/// headers where ffprobe costs ~100 ms of CPU per segment, which mattered more than anything else per camera.
/// One positioned read per fragment (its moof and the mdat header after it) into one buffer, nothing allocated per
/// box: a recorder finalizes a segment per camera every 10 s, each of about a hundred fragments.
/// A truncated last fragment (a crash) is not counted, as players stop at the last complete fragment too.
/// </summary>
public static class Mp4Inspector
{
    private sealed class Track
    {
        public uint Id, Timescale, Width, Height, DefaultDuration, Handler, Format;
    }

    /// <summary>Boxes larger than this are not read whole (a moov or moof never is).</summary>
    private const int MaxBox = 16 << 20;

    /// <returns>null when the file is not a fragmented MP4 (then ffprobe decides).</returns>
    public static ProbeResult? Inspect(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        return Inspect(file);
    }

    public static ProbeResult? Inspect(SafeFileHandle file)
    {
        var window = new Window(file);
        var length = RandomAccess.GetLength(file);
        var tracks = new List<Track>(2);
        Track? video = null;
        long pos = 0, ticks = 0;
        int fragments = 0;
        bool sawMoov = false, pendingMoof = false;
        ulong pendingTicks = 0;
        while (pos + 8 <= length)
        {
            var header = window.At(pos, (int)Math.Min(16, length - pos));
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            var headerSize = 8;
            if (size == 1)
            {
                if (header.Length < 16) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                headerSize = 16;
            }
            else if (size == 0) size = length - pos;
            if (size < headerSize) return Invalid("corrupt box size");
            var complete = pos + size <= length;

            switch (type)
            {
                case FourCC.Moov:
                    if (!complete) return Invalid("truncated moov");
                    ParseContainer(window.At(pos + headerSize, Body(size, headerSize)), tracks, null);
                    video = tracks.FirstOrDefault(t => t.Handler == FourCC.Vide);
                    sawMoov = true;
                    break;
                case FourCC.Moof when video is not null:
                    if (!complete) goto done;
                    pendingTicks = MoofDuration(window.At(pos + headerSize, Body(size, headerSize)), video);
                    pendingMoof = true;
                    break;
                case FourCC.Mdat:
                    if (!complete) goto done;
                    if (pendingMoof)
                    {
                        ticks += (long)pendingTicks;
                        fragments++;
                        pendingMoof = false;
                    }
                    break;
            }
            pos += size;
        }
        done:
        if (!sawMoov) return null;
        if (video is null) return Invalid("no video track");
        if (fragments == 0) return null; // a plain (non-fragmented) MP4: let ffprobe judge it
        if (video.Timescale == 0 || ticks <= 0) return Invalid("no playable duration");
        return new ProbeResult(true, TimeSpan.FromSeconds((double)ticks / video.Timescale), Codec(video.Format), (int)video.Width, (int)video.Height, null);

        static ProbeResult Invalid(string why) => new(false, TimeSpan.Zero, null, 0, 0, why);
    }

    private static int Body(long size, int headerSize) =>
        size - headerSize <= MaxBox ? (int)(size - headerSize) : throw new InvalidDataException("box too large to inspect");

    private static string Codec(uint fourcc) => fourcc switch
    {
        FourCC.Avc1 or FourCC.Avc3 => "h264",
        FourCC.Hvc1 or FourCC.Hev1 => "hevc",
        FourCC.Mp4v => "mpeg4",
        FourCC.Jpeg or FourCC.Mjpa or FourCC.Mjpb => "mjpeg",
        FourCC.Av01 => "av1",
        _ => FourCC.Name(fourcc),
    };

    /// <summary>Walks moov: trak/tkhd, trak/mdia/(mdhd, hdlr, minf/stbl/stsd), mvex/trex.</summary>
    private static void ParseContainer(ReadOnlySpan<byte> data, List<Track> tracks, Track? current)
    {
        foreach (var box in new Boxes(data))
        {
            var body = box.Body;
            switch (box.Type)
            {
                case FourCC.Trak:
                    var t = new Track();
                    tracks.Add(t);
                    ParseContainer(body, tracks, t);
                    break;
                case FourCC.Mdia or FourCC.Minf or FourCC.Stbl or FourCC.Mvex:
                    ParseContainer(body, tracks, current);
                    break;
                case FourCC.Tkhd when current is not null && body.Length >= 84:
                    current.Id = BinaryPrimitives.ReadUInt32BigEndian(body[(body[0] == 1 ? 20 : 12)..]);
                    current.Width = BinaryPrimitives.ReadUInt32BigEndian(body[^8..]) >> 16;
                    current.Height = BinaryPrimitives.ReadUInt32BigEndian(body[^4..]) >> 16;
                    break;
                case FourCC.Mdhd when current is not null && body.Length >= 24:
                    current.Timescale = BinaryPrimitives.ReadUInt32BigEndian(body[(body[0] == 1 ? 20 : 12)..]);
                    break;
                case FourCC.Hdlr when current is not null && body.Length >= 12:
                    current.Handler = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
                    break;
                case FourCC.Stsd when current is not null && body.Length >= 16:
                    current.Format = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
                    break;
                case FourCC.Trex when body.Length >= 24:
                    var id = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    var duration = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
                    foreach (var tr in tracks)
                        if (tr.Id == id) tr.DefaultDuration = duration;
                    break;
            }
        }
    }

    /// <summary>Sum of the video track's sample durations in one moof.</summary>
    private static ulong MoofDuration(ReadOnlySpan<byte> moof, Track video)
    {
        ulong total = 0;
        foreach (var box in new Boxes(moof))
            if (box.Type == FourCC.Traf && TrackFragment.TrackId(box.Body) == video.Id)
                total += TrackFragment.Duration(box.Body, video.DefaultDuration);
        return total;
    }

    /// <summary>
    /// Positioned reads through one buffer: a request inside what was last read is served from it, anything else
    /// reads at least <see cref="ReadAhead"/> bytes from there. A returned span is valid until the next call.
    /// </summary>
    private sealed class Window(SafeFileHandle file)
    {
        // A fragment's moof (a few hundred bytes) and the header of the mdat after it, in one read.
        private const int ReadAhead = 4096;
        private byte[] _buffer = new byte[ReadAhead];
        private long _offset;
        private int _count;

        public ReadOnlySpan<byte> At(long offset, int count)
        {
            if (offset >= _offset && offset + count <= _offset + _count)
                return _buffer.AsSpan((int)(offset - _offset), count);
            if (count > _buffer.Length) _buffer = new byte[count];
            _offset = offset;
            _count = 0;
            int n;
            while (_count < _buffer.Length && (n = RandomAccess.Read(file, _buffer.AsSpan(_count), offset + _count)) > 0)
                _count += n;
            if (_count < count) throw new EndOfStreamException($"{count} bytes at {offset} are past the end of the file");
            return _buffer.AsSpan(0, count);
        }
    }
}
