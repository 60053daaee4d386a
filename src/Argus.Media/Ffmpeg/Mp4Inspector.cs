using System.Buffers.Binary;

namespace Argus.Media.Ffmpeg;

/// <summary>
/// Validates a fragmented MP4 and reads its video duration from the box structure alone: the moov's video track
/// (timescale, codec, size) and the sample durations of every complete moof+mdat pair. It reads a few kilobytes of
/// headers where ffprobe costs ~100 ms of CPU per segment, which mattered more than anything else per camera.
/// A truncated last fragment (a crash) is not counted, as players stop at the last complete fragment too.
/// </summary>
public static class Mp4Inspector
{
    private sealed class Track
    {
        public uint Id, Timescale, Width, Height, DefaultDuration;
        public string Handler = "", Format = "";
    }

    /// <returns>null when the file is not a fragmented MP4 (then ffprobe decides).</returns>
    public static ProbeResult? Inspect(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.RandomAccess);
        return Inspect(fs);
    }

    public static ProbeResult? Inspect(Stream s)
    {
        var length = s.Length;
        var tracks = new List<Track>();
        Track? video = null;
        long pos = 0, ticks = 0;
        int fragments = 0;
        bool sawMoov = false;
        ulong pendingTicks = 0;
        bool pendingMoof = false;
        Span<byte> header = stackalloc byte[16];
        while (pos + 8 <= length)
        {
            s.Position = pos;
            if (!ReadExactly(s, header[..8])) break;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header.Slice(4, 4));
            var headerSize = 8;
            if (size == 1)
            {
                if (!ReadExactly(s, header.Slice(8, 8))) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                headerSize = 16;
            }
            else if (size == 0) size = length - pos;
            if (size < headerSize) return Invalid("corrupt box size");
            var complete = pos + size <= length;

            switch (type)
            {
                case "moov":
                    if (!complete) return Invalid("truncated moov");
                    ParseContainer(Read(s, pos + headerSize, size - headerSize), tracks);
                    video = tracks.FirstOrDefault(t => t.Handler == "vide");
                    sawMoov = true;
                    break;
                case "moof" when video is not null:
                    if (!complete) goto done;
                    pendingTicks = MoofDuration(Read(s, pos + headerSize, size - headerSize), video);
                    pendingMoof = true;
                    break;
                case "mdat":
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

    private static string Codec(string fourcc) => fourcc switch
    {
        "avc1" or "avc3" => "h264",
        "hvc1" or "hev1" => "hevc",
        "mp4v" => "mpeg4",
        "jpeg" or "mjpa" or "mjpb" => "mjpeg",
        "av01" => "av1",
        _ => fourcc,
    };

    private static byte[] Read(Stream s, long offset, long count)
    {
        if (count > 16 << 20) throw new InvalidDataException("box too large to inspect");
        var buffer = new byte[count];
        s.Position = offset;
        s.ReadExactly(buffer);
        return buffer;
    }

    private static bool ReadExactly(Stream s, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = s.Read(buffer[read..]);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    /// <summary>Walks moov: trak/tkhd, trak/mdia/(mdhd, hdlr, minf/stbl/stsd), mvex/trex.</summary>
    private static void ParseContainer(ReadOnlySpan<byte> data, List<Track> tracks, Track? current = null)
    {
        foreach (var (type, bodyArray) in Children(data))
        {
            ReadOnlySpan<byte> body = bodyArray;
            switch (type)
            {
                case "trak":
                    var t = new Track();
                    tracks.Add(t);
                    ParseContainer(bodyArray, tracks, t);
                    break;
                case "mdia" or "minf" or "stbl" or "mvex":
                    ParseContainer(bodyArray, tracks, current);
                    break;
                case "tkhd" when current is not null && body.Length >= 84:
                    var v1 = body[0] == 1;
                    current.Id = BinaryPrimitives.ReadUInt32BigEndian(body[(v1 ? 20 : 12)..]);
                    current.Width = BinaryPrimitives.ReadUInt32BigEndian(body[^8..]) >> 16;
                    current.Height = BinaryPrimitives.ReadUInt32BigEndian(body[^4..]) >> 16;
                    break;
                case "mdhd" when current is not null && body.Length >= 24:
                    current.Timescale = BinaryPrimitives.ReadUInt32BigEndian(body[(body[0] == 1 ? 20 : 12)..]);
                    break;
                case "hdlr" when current is not null && body.Length >= 12:
                    current.Handler = System.Text.Encoding.ASCII.GetString(bodyArray, 8, 4);
                    break;
                case "stsd" when current is not null && body.Length >= 16:
                    current.Format = System.Text.Encoding.ASCII.GetString(bodyArray, 12, 4);
                    break;
                case "trex" when body.Length >= 24:
                    var id = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    var duration = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
                    foreach (var tr in tracks.Where(x => x.Id == id)) tr.DefaultDuration = duration;
                    break;
            }
        }
    }

    /// <summary>Sum of the video track's sample durations in one moof (trun durations, else tfhd/trex defaults).</summary>
    private static ulong MoofDuration(ReadOnlySpan<byte> moof, Track video)
    {
        ulong total = 0;
        foreach (var (type, traf) in Children(moof))
        {
            if (type != "traf") continue;
            uint defaultDuration = video.DefaultDuration;
            var isVideo = false;
            foreach (var (t, body) in Children(traf))
            {
                if (t == "tfhd" && body.Length >= 8)
                {
                    var flags = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                    isVideo = BinaryPrimitives.ReadUInt32BigEndian(body[4..]) == video.Id;
                    var o = 8;
                    if ((flags & 0x1) != 0) o += 8;
                    if ((flags & 0x2) != 0) o += 4;
                    if ((flags & 0x8) != 0 && body.Length >= o + 4) defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
                }
                else if (t == "trun" && isVideo && body.Length >= 8)
                {
                    var flags = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                    var count = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    var o = 8;
                    if ((flags & 0x1) != 0) o += 4;
                    if ((flags & 0x4) != 0) o += 4;
                    if ((flags & 0x100) == 0)
                    {
                        total += (ulong)count * defaultDuration;
                        continue;
                    }
                    var stride = 4 * (1 + ((flags & 0x200) != 0 ? 1 : 0) + ((flags & 0x400) != 0 ? 1 : 0) + ((flags & 0x800) != 0 ? 1 : 0));
                    for (var i = 0; i < count && o + 4 <= body.Length; i++, o += stride)
                        total += BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
                }
            }
        }
        return total;
    }

    private static List<(string Type, byte[] Body)> Children(ReadOnlySpan<byte> data)
    {
        var list = new List<(string, byte[])>();
        var pos = 0;
        while (pos + 8 <= data.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = System.Text.Encoding.ASCII.GetString(data.Slice(pos + 4, 4));
            var h = 8;
            if (size == 1 && pos + 16 <= data.Length) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(pos + 8)..]); h = 16; }
            else if (size == 0) size = data.Length - pos;
            if (size < h || pos + size > data.Length) break;
            list.Add((type, data.Slice(pos + h, (int)size - h).ToArray()));
            pos += (int)size;
        }
        return list;
    }
}
