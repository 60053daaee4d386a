namespace Argus.Media.Ffmpeg;

public sealed class FfmpegOptions
{
    public string FfmpegPath { get; set; } = "ffmpeg";
    public string FfprobePath { get; set; } = "ffprobe";
}
