using System.Buffers.Binary;

namespace Argus.Media.Live;

/// <summary>Iterates the boxes laid end to end in a span (a box body's children), without allocating.</summary>
internal ref struct Boxes(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public uint Type { get; private set; }
    public ReadOnlySpan<byte> Body { get; private set; }

    public Boxes GetEnumerator() => this;
    public readonly Boxes Current => this;

    public bool MoveNext()
    {
        if (_rest.Length < 8) return false;
        long size = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        var header = 8;
        if (size == 1)
        {
            if (_rest.Length < 16) return false;
            size = (long)BinaryPrimitives.ReadUInt64BigEndian(_rest[8..]);
            header = 16;
        }
        else if (size == 0) size = _rest.Length;
        if (size < header || size > _rest.Length) return false;
        Type = BinaryPrimitives.ReadUInt32BigEndian(_rest[4..]);
        Body = _rest[header..(int)size];
        _rest = _rest[(int)size..];
        return true;
    }

    /// <summary>The body of the first child of <paramref name="type"/>, or an empty span.</summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> data, uint type)
    {
        foreach (var b in new Boxes(data))
            if (b.Type == type) return b.Body;
        return default;
    }
}

/// <summary>What a fragment's track-fragment box (traf) says about its samples.</summary>
internal static class TrackFragment
{
    /// <summary>The track the traf belongs to (tfhd), or 0.</summary>
    public static uint TrackId(ReadOnlySpan<byte> traf)
    {
        var tfhd = Boxes.Find(traf, FourCC.Tfhd);
        return tfhd.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]) : 0;
    }

    /// <summary>Sum of its sample durations in track ticks: trun's own, else tfhd's default, else <paramref name="trexDefault"/>.</summary>
    public static ulong Duration(ReadOnlySpan<byte> traf, uint trexDefault)
    {
        var fallback = trexDefault;
        ulong total = 0;
        foreach (var b in new Boxes(traf))
        {
            var body = b.Body;
            if (b.Type == FourCC.Tfhd && body.Length >= 8)
            {
                var tf = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                // after track_ID: base_data_offset (8), sample_description_index (4), then default_sample_duration
                var o = 8 + ((tf & 0x1) != 0 ? 8 : 0) + ((tf & 0x2) != 0 ? 4 : 0);
                if ((tf & 0x8) != 0 && body.Length >= o + 4) fallback = BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
            }
            else if (b.Type == FourCC.Trun && body.Length >= 8)
            {
                var tr = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                var count = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                if ((tr & 0x100) == 0)
                {
                    total += (ulong)count * fallback;
                    continue;
                }
                // after sample_count: data_offset (4), first_sample_flags (4); then per sample duration, size, flags, cto
                var o = 8 + ((tr & 0x1) != 0 ? 4 : 0) + ((tr & 0x4) != 0 ? 4 : 0);
                var stride = 4 * (1 + ((tr & 0x200) != 0 ? 1 : 0) + ((tr & 0x400) != 0 ? 1 : 0) + ((tr & 0x800) != 0 ? 1 : 0));
                for (var i = 0u; i < count && o + 4 <= body.Length; i++, o += stride)
                    total += BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
            }
        }
        return total;
    }
}

/// <summary>Four-character codes as big-endian integers.</summary>
internal static class FourCC
{
    public const uint Ftyp = 0x66747970, Moov = 0x6D6F6F76, Moof = 0x6D6F6F66, Mdat = 0x6D646174;
    public const uint Trak = 0x7472616B, Tkhd = 0x746B6864, Mdia = 0x6D646961, Mdhd = 0x6D646864, Hdlr = 0x68646C72;
    public const uint Minf = 0x6D696E66, Stbl = 0x7374626C, Stsd = 0x73747364, Mvex = 0x6D766578, Trex = 0x74726578;
    public const uint Traf = 0x74726166, Tfhd = 0x74666864, Tfdt = 0x74666474, Trun = 0x7472756E;
    public const uint Vide = 0x76696465, AvcC = 0x61766343, HvcC = 0x68766343;
    public const uint Avc1 = 0x61766331, Avc3 = 0x61766333, Hvc1 = 0x68766331, Hev1 = 0x68657631, Mp4v = 0x6D703476;
    public const uint Jpeg = 0x6A706567, Mjpa = 0x6D6A7061, Mjpb = 0x6D6A7062, Av01 = 0x61763031;

    public static string Name(uint type) => string.Create(4, type, static (s, t) =>
    {
        for (var i = 0; i < 4; i++) s[i] = (char)((t >> (24 - 8 * i)) & 0xFF);
    });
}
