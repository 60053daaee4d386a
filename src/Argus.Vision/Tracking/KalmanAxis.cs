namespace Argus.Vision.Tracking;

/// <summary>
/// One coordinate of the constant-velocity Kalman filter (position, velocity per second). With a diagonal measurement
/// noise and per-axis process noise the 8-state box filter SORT/ByteTrack use is block diagonal, so four of these
/// are the same filter without 8x8 matrices.
/// </summary>
internal struct KalmanAxis
{
    public double X, V;
    public double Pxx, Pxv, Pvv;

    public KalmanAxis(double x, double posStd, double velStd)
    {
        X = x;
        V = 0;
        Pxx = posStd * posStd;
        Pxv = 0;
        Pvv = velStd * velStd;
    }

    /// <summary>Advances by dt seconds; <paramref name="accelStd"/> is the white-noise acceleration (units/s^2).</summary>
    public void Predict(double dt, double accelStd)
    {
        if (dt <= 0) return;
        X += V * dt;
        var q = accelStd * accelStd;
        var dt2 = dt * dt;
        Pxx += (2 * dt * Pxv) + (dt2 * Pvv) + (q * dt2 * dt / 3);
        Pxv += (dt * Pvv) + (q * dt2 / 2);
        Pvv += q * dt;
    }

    public void Update(double z, double measStd)
    {
        var s = Pxx + (measStd * measStd);
        var k0 = Pxx / s;
        var k1 = Pxv / s;
        var y = z - X;
        X += k0 * y;
        V += k1 * y;
        var pxx = Pxx;
        var pxv = Pxv;
        Pxx = (1 - k0) * pxx;
        Pxv = (1 - k0) * pxv;
        Pvv -= k1 * pxv;
    }
}
