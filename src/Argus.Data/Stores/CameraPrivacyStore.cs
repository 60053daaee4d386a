using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Privacy;

namespace Argus.Data.Stores;

/// <summary>A camera's privacy: its zones of kind privacy and its privacy-critical flag, as configured.</summary>
public sealed class CameraPrivacyStore(ICameraStore cameras, IZoneStore zones) : ICameraPrivacy
{
    public async Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default)
    {
        var camera = await cameras.GetAsync(cameraId, ct);
        var masks = (await zones.ListAsync(cameraId, ct)).Where(z => z.Kind == ZoneKind.Privacy).Select(z => z.Polygon).ToList();
        return masks.Count == 0 && camera?.PrivacyCritical != true ? CameraPrivacy.None : new CameraPrivacy(masks, camera?.PrivacyCritical == true);
    }
}
