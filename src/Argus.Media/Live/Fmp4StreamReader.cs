using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Argus.Media.Live;

/// <summary>
/// Cuts a fragmented-MP4 byte stream (ffmpeg's live output on stdout) into what a player appends: the init segment
/// (ftyp + moov) and each moof+mdat pair, reading only box headers plus the small moov/moof bodies it parses.
/// Each fragment is one freshly allocated byte[] (moof and mdat copied together): fragments are shared read-only by
/// every viewer and the GOP cache, so pooling would need reference counting for little gain at 25 allocations/s.
/// </summary>
/// <param name="keepDeltaFrames">
/// Asked per non-key fragment; when false (nobody watches) the fragment is skipped without a copy and
/// <see cref="LiveSkipped.Instance"/> is returned instead: idle cameras then allocate only their keyframes.
/// </param>
public sealed class Fmp4StreamReader(Stream stream, Func<bool>? keepDeltaFrames = null)
{
    /// <summary>A box larger than this is not live video from a camera: refuse rather than allocate it.</summary>
    public const int MaxBoxBytes = 64 << 20;

    private readonly byte[] _header = new byte[16];
    private byte[]? _ftyp;
    private byte[] _moof = new byte[1024];  // reused: a moof is a few hundred bytes
    private readonly byte[] _scratch = new byte[64 * 1024];
    private int _moofLength = -1;
    private uint _trexDefaultFlags;
    private bool _hasTrexFlags;

    /// <summary>The next init segment or fragment; null at the end of the stream (a truncated last box is dropped).</summary>
    public async ValueTask<LivePiece?> ReadAsync(CancellationToken ct = default)
    {
        while (true)
        {
            if (!await FillAsync(_header.AsMemory(0, 8), ct)) return null;
            long size = BinaryPrimitives.ReadUInt32BigEndian(_header);
            var type = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
            var headerSize = 8;
            if (size == 1)
            {
                if (!await FillAsync(_header.AsMemory(8, 8), ct)) return null;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8));
                headerSize = 16;
            }
            if (size < headerSize || size > MaxBoxBytes)
                throw new InvalidDataException($"unexpected {FourCC.Name(type)} box of {size} bytes in the live stream");
            var bodySize = (int)size - headerSize;

            switch (type)
            {
                case FourCC.Ftyp:
                    _ftyp = new byte[size];
                    _header.AsSpan(0, headerSize).CopyTo(_ftyp);
                    if (!await FillAsync(_ftyp.AsMemory(headerSize), ct)) return null;
                    break;
                case FourCC.Moov:
                {
                    var prefix = _ftyp?.Length ?? 0;
                    var init = new byte[prefix + size];
                    _ftyp?.CopyTo(init, 0);
                    _header.AsSpan(0, headerSize).CopyTo(init.AsSpan(prefix));
                    if (!await FillAsync(init.AsMemory(prefix + headerSize), ct)) return null;
                    _moofLength = -1;
                    return ParseInit(init, init.AsSpan(prefix + headerSize));
                }
                case FourCC.Moof:
                    if (_moof.Length < size) _moof = new byte[Math.Max(size, _moof.Length * 2)];
                    _header.AsSpan(0, headerSize).CopyTo(_moof);
                    if (!await FillAsync(_moof.AsMemory(headerSize, bodySize), ct)) return null;
                    _moofLength = (int)size;
                    break;
                case FourCC.Mdat when _moofLength > 0:
                {
                    var (key, time) = ParseMoof(_moof.AsSpan(8, _moofLength - 8));
                    if (!key && keepDeltaFrames is not null && !keepDeltaFrames())
                    {
                        _moofLength = -1;
                        if (!await SkipAsync(bodySize, ct)) return null;
                        return LiveSkipped.Instance;
                    }
                    var data = new byte[_moofLength + size];
                    _moof.AsSpan(0, _moofLength).CopyTo(data);
                    _header.AsSpan(0, headerSize).CopyTo(data.AsSpan(_moofLength));
                    if (!await FillAsync(data.AsMemory(_moofLength + headerSize), ct)) return null;
                    _moofLength = -1;
                    return new LiveFragment(data, key, time);
                }
                default:
                    // free, skip, styp, sidx, mfra, an mdat without moof: nothing a live viewer needs.
                    if (!await SkipAsync(bodySize, ct)) return null;
                    break;
            }
        }
    }

    private async ValueTask<bool> FillAsync(Memory<byte> buffer, CancellationToken ct)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (EndOfStreamException) { return false; }
    }

    private async ValueTask<bool> SkipAsync(int count, CancellationToken ct)
    {
        if (stream.CanSeek)
        {
            // A file (a snapshot's scan of a segment): jump, and a box cut short by the file's end ends the stream.
            if (stream.Position + count > stream.Length) return false;
            stream.Seek(count, SeekOrigin.Current);
            return true;
        }
        while (count > 0)
        {
            var n = Math.Min(count, _scratch.Length);
            if (!await FillAsync(_scratch.AsMemory(0, n), ct)) return false;
            count -= n;
        }
        return true;
    }

    /// <summary>Finds the video track: its timescale, sample entry (codec, size, avcC/hvcC) and trex default flags.</summary>
    private LiveInit ParseInit(byte[] init, ReadOnlySpan<byte> moov)
    {
        string codec = "";
        int width = 0, height = 0;
        uint timescale = 0, trackId = 0;
        foreach (var trak in new Boxes(moov))
        {
            if (trak.Type != FourCC.Trak) continue;
            var mdia = Boxes.Find(trak.Body, FourCC.Mdia);
            var hdlr = Boxes.Find(mdia, FourCC.Hdlr);
            if (hdlr.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(hdlr[8..]) != FourCC.Vide) continue;
            var tkhd = Boxes.Find(trak.Body, FourCC.Tkhd);
            if (tkhd.Length >= 16) trackId = BinaryPrimitives.ReadUInt32BigEndian(tkhd[(tkhd[0] == 1 ? 20 : 12)..]);
            var mdhd = Boxes.Find(mdia, FourCC.Mdhd);
            if (mdhd.Length >= 24) timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[(mdhd[0] == 1 ? 20 : 12)..]);
            var stsd = Boxes.Find(Boxes.Find(Boxes.Find(mdia, FourCC.Minf), FourCC.Stbl), FourCC.Stsd);
            (codec, width, height) = SampleEntry(stsd.Length > 8 ? stsd[8..] : default);
            break;
        }
        foreach (var trex in new Boxes(Boxes.Find(moov, FourCC.Mvex)))
        {
            // trex: version/flags, track_ID, default description index, duration, size, flags
            if (trex.Type != FourCC.Trex || trex.Body.Length < 24 || BinaryPrimitives.ReadUInt32BigEndian(trex.Body[4..]) != trackId) continue;
            _trexDefaultFlags = BinaryPrimitives.ReadUInt32BigEndian(trex.Body[20..]);
            _hasTrexFlags = true;
        }
        return new LiveInit(init, codec, width, height, timescale);
    }

    /// <summary>RFC 6381 codec string and size from the first sample entry of stsd.</summary>
    internal static (string Codec, int Width, int Height) SampleEntry(ReadOnlySpan<byte> entries)
    {
        var it = new Boxes(entries);
        if (!it.MoveNext()) return ("", 0, 0);
        var format = FourCC.Name(it.Type);
        var body = it.Body;
        // VisualSampleEntry: 6 reserved + 2 data_reference_index + 16 pre_defined/reserved, then width, height;
        // child boxes (avcC, hvcC, pasp, ...) follow its 78 bytes.
        if (body.Length < 78) return (format, 0, 0);
        int width = BinaryPrimitives.ReadUInt16BigEndian(body[24..]), height = BinaryPrimitives.ReadUInt16BigEndian(body[26..]);
        var children = body[78..];
        var avcC = Boxes.Find(children, FourCC.AvcC);
        if (avcC.Length >= 4)
            return ($"{format}.{avcC[1]:x2}{avcC[2]:x2}{avcC[3]:x2}", width, height);
        var hvcC = Boxes.Find(children, FourCC.HvcC);
        if (hvcC.Length >= 13)
            return (HevcCodec(format, hvcC), width, height);
        return (format, width, height);
    }

    /// <summary>ISO/IEC 14496-15 Annex E: hvc1.[A|B|C]profile.compatibility(reversed).[L|H]level[.constraints].</summary>
    private static string HevcCodec(string format, ReadOnlySpan<byte> hvcC)
    {
        var space = hvcC[1] >> 6;
        var tier = (hvcC[1] >> 5) & 1;
        var profile = hvcC[1] & 0x1F;
        var compat = BinaryPrimitives.ReadUInt32BigEndian(hvcC[2..]);
        uint reversed = 0;
        for (var i = 0; i < 32; i++) reversed |= ((compat >> i) & 1) << (31 - i);
        var sb = new StringBuilder(format).Append('.');
        if (space > 0) sb.Append((char)('A' + space - 1));
        sb.Append(profile.ToString(CultureInfo.InvariantCulture)).Append('.').Append(reversed.ToString("X", CultureInfo.InvariantCulture));
        sb.Append('.').Append(tier == 0 ? 'L' : 'H').Append(hvcC[12].ToString(CultureInfo.InvariantCulture));
        var constraints = hvcC.Slice(6, 6);
        var last = constraints.LastIndexOfAnyExcept((byte)0);
        for (var i = 0; i <= last; i++) sb.Append('.').Append(constraints[i].ToString("X2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Keyframe flag and decode time of the fragment's first sample (first traf: the live output has one track).</summary>
    private (bool Keyframe, ulong Time) ParseMoof(ReadOnlySpan<byte> moof)
    {
        var traf = Boxes.Find(moof, FourCC.Traf);
        ulong time = 0;
        uint? flags = null, defaultFlags = null;
        foreach (var b in new Boxes(traf))
        {
            var body = b.Body;
            if (b.Type == FourCC.Tfhd && body.Length >= 8)
            {
                var tf = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                var o = 8;
                if ((tf & 0x1) != 0) o += 8;   // base_data_offset
                if ((tf & 0x2) != 0) o += 4;   // sample_description_index
                if ((tf & 0x8) != 0) o += 4;   // default_sample_duration
                if ((tf & 0x10) != 0) o += 4;  // default_sample_size
                if ((tf & 0x20) != 0 && body.Length >= o + 4) defaultFlags = BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
            }
            else if (b.Type == FourCC.Tfdt && body.Length >= 8)
                time = body[0] == 1 && body.Length >= 12 ? BinaryPrimitives.ReadUInt64BigEndian(body[4..]) : BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
            else if (b.Type == FourCC.Trun && body.Length >= 8)
            {
                var tr = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
                var count = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                var o = 8;
                if ((tr & 0x1) != 0) o += 4;   // data_offset
                if ((tr & 0x4) != 0 && body.Length >= o + 4) flags = BinaryPrimitives.ReadUInt32BigEndian(body[o..]);
                else if ((tr & 0x400) != 0 && count > 0)
                {
                    // per-sample flags follow the first sample's duration and size, when present
                    var f = o + ((tr & 0x100) != 0 ? 4 : 0) + ((tr & 0x200) != 0 ? 4 : 0);
                    if (body.Length >= f + 4) flags = BinaryPrimitives.ReadUInt32BigEndian(body[f..]);
                }
            }
        }
        var sampleFlags = flags ?? defaultFlags ?? (_hasTrexFlags ? _trexDefaultFlags : 0u);
        const uint sampleIsNonSyncSample = 0x10000;
        return ((sampleFlags & sampleIsNonSyncSample) == 0, time);
    }
}
