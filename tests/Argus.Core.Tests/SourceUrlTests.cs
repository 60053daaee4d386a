using Argus.Core.Cameras;

namespace Argus.Core.Tests;

public class SourceUrlTests
{
    [Fact]
    public void Credentials_are_split_from_the_address()
    {
        var u = SourceUrl.Parse("rtsp://admin:p%40ss@10.0.0.5:554/stream1");
        Assert.Equal("rtsp://10.0.0.5:554/stream1", u.Address);
        Assert.Equal(SourceKind.Rtsp, u.Kind);
        Assert.Equal("admin", u.UserName);
        Assert.Equal("p@ss", u.Password);
        Assert.Equal("rtsp://admin:p%40ss@10.0.0.5:554/stream1", u.WithCredentials());
    }

    [Fact]
    public void Separate_credentials_win_over_none_in_the_url()
    {
        var u = SourceUrl.Parse("rtsp://cam.local:8554/live", "viewer", "s3cret");
        Assert.Equal("rtsp://cam.local:8554/live", u.Address);
        Assert.Contains("viewer:s3cret@", u.WithCredentials());
        Assert.DoesNotContain("s3cret", u.ToString());
    }

    [Theory]
    [InlineData("http://cam/video.mjpg", SourceKind.Http)]
    [InlineData("https://cdn.example/live/index.m3u8", SourceKind.Hls)]
    [InlineData("/srv/clips/a.mp4", SourceKind.File)]
    [InlineData("file:///srv/clips/a.mp4", SourceKind.File)]
    public void Kinds_are_recognised(string url, SourceKind kind) => Assert.Equal(kind, SourceUrl.Parse(url).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("ftp://host/x")]
    [InlineData("rtsp://")]
    [InlineData("relative/file.mp4")]
    [InlineData("rtsp://host/a\nb")]
    [InlineData("concat:/etc/passwd|/etc/shadow")]
    [InlineData("-i /etc/passwd")]
    public void Bad_urls_are_rejected_with_a_message(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => SourceUrl.Parse(url));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Redact_removes_credentials_from_free_text()
    {
        var text = "[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized rtsp://admin:hunter2@10.1.1.1/s";
        var clean = SourceUrl.Redact(text);
        Assert.DoesNotContain("hunter2", clean);
        Assert.DoesNotContain("admin", clean);
        Assert.Contains("rtsp://***@10.1.1.1/s", clean);
    }
}
