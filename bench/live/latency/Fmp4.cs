using System.Buffers.Binary;

namespace Argus.Bench.Latency;

/// <summary>Splits a fragmented MP4 byte stream (ffmpeg -movflags empty_moov+default_base_moof+frag_...)
/// into the init segment (everything before the first moof) and one message per moof+mdat.</summary>
public static class Fmp4
{
    public sealed record Piece(byte[] Data, bool IsInit);

    public static async IAsyncEnumerable<Piece> ReadAsync(Stream input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var init = new MemoryStream();
        var fragment = new MemoryStream();
        var initSent = false;
        while (await ReadBoxAsync(input, ct) is { } box)
        {
            var type = System.Text.Encoding.ASCII.GetString(box, 4, 4);
            if (!initSent)
            {
                if (type != "moof") { init.Write(box); continue; }
                initSent = true;
                yield return new Piece(init.ToArray(), true);
            }
            fragment.Write(box);
            // A fragment is complete with its mdat; anything else (styp, sidx, moof) belongs to the next one.
            if (type == "mdat")
            {
                yield return new Piece(fragment.ToArray(), false);
                fragment.SetLength(0);
            }
        }
    }

    private static async Task<byte[]?> ReadBoxAsync(Stream input, CancellationToken ct)
    {
        var header = new byte[16];
        if (!await FillAsync(input, header.AsMemory(0, 8), ct)) return null;
        long size = BinaryPrimitives.ReadUInt32BigEndian(header);
        var headerLength = 8;
        if (size == 1)
        {
            if (!await FillAsync(input, header.AsMemory(8, 8), ct)) return null;
            size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
            headerLength = 16;
        }
        // size 0 means "to the end of the file", which a live stream never has.
        if (size < headerLength || size > 64 << 20) throw new InvalidDataException($"unexpected MP4 box size {size}");
        var box = new byte[size];
        header.AsSpan(0, headerLength).CopyTo(box);
        if (!await FillAsync(input, box.AsMemory(headerLength), ct)) return null;
        return box;
    }

    private static async Task<bool> FillAsync(Stream input, Memory<byte> buffer, CancellationToken ct)
    {
        try
        {
            await input.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>RFC 6381 codec string ("avc1.PPCCLL") from the avcC box of an init segment.</summary>
    public static string CodecString(byte[] init)
    {
        var at = init.AsSpan().IndexOf("avcC"u8);
        // avcC body: configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication.
        if (at < 0 || at + 8 > init.Length) throw new InvalidDataException("init segment has no avcC box (not H.264?)");
        return $"avc1.{init[at + 5]:X2}{init[at + 6]:X2}{init[at + 7]:X2}";
    }
}
