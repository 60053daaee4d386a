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

/// <summary>Four-character codes as big-endian integers.</summary>
internal static class FourCC
{
    public const uint Ftyp = 0x66747970, Moov = 0x6D6F6F76, Moof = 0x6D6F6F66, Mdat = 0x6D646174;
    public const uint Trak = 0x7472616B, Tkhd = 0x746B6864, Mdia = 0x6D646961, Mdhd = 0x6D646864, Hdlr = 0x68646C72;
    public const uint Minf = 0x6D696E66, Stbl = 0x7374626C, Stsd = 0x73747364, Mvex = 0x6D766578, Trex = 0x74726578;
    public const uint Traf = 0x74726166, Tfhd = 0x74666864, Tfdt = 0x74666474, Trun = 0x7472756E;
    public const uint Vide = 0x76696465, AvcC = 0x61766343, HvcC = 0x68766343;

    public static string Name(uint type) => string.Create(4, type, static (s, t) =>
    {
        for (var i = 0; i < 4; i++) s[i] = (char)((t >> (24 - 8 * i)) & 0xFF);
    });
}
