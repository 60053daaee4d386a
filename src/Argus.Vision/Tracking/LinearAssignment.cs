namespace Argus.Vision.Tracking;

/// <summary>
/// Minimum-cost assignment of rows to columns (Hungarian algorithm with potentials, O(n^2 m)). With a cost limit the
/// matrix is extended as lapjv does for ByteTrack: leaving a row and a column unmatched costs the limit, so a pair
/// costing more than the limit is never chosen and one good pair beats two poor ones.
/// Reuses its buffers between calls: one instance per tracker, not thread-safe.
/// </summary>
public sealed class LinearAssignment
{
    private double[] _u = [], _v = [], _minv = [], _ext = [];
    private int[] _p = [], _way = [];
    private bool[] _used = [];

    /// <summary>Convenience form for tests and one-off use: returns the column of each row, -1 when unassigned.</summary>
    public static int[] Solve(double[,] cost, double costLimit = double.PositiveInfinity)
    {
        int rows = cost.GetLength(0), cols = cost.GetLength(1);
        var flat = new double[rows * cols];
        for (var r = 0; r < rows; r++) for (var c = 0; c < cols; c++) flat[(r * cols) + c] = cost[r, c];
        var result = new int[rows];
        new LinearAssignment().Solve(flat, rows, cols, result, costLimit);
        return result;
    }

    /// <param name="cost">rows x cols, row major. Use a value above <paramref name="costLimit"/> (or +inf-like) for forbidden pairs.</param>
    /// <param name="rowToCol">receives each row's column, or -1.</param>
    public void Solve(ReadOnlySpan<double> cost, int rows, int cols, Span<int> rowToCol, double costLimit = double.PositiveInfinity)
    {
        rowToCol[..rows].Fill(-1);
        if (rows == 0 || cols == 0) return;
        if (double.IsFinite(costLimit))
        {
            // (rows+cols) square: real costs top left, limit/2 for "row unmatched" and "column unmatched", 0 bottom right.
            var n = rows + cols;
            if (_ext.Length < n * n) _ext = new double[n * n];
            var ext = _ext.AsSpan(0, n * n);
            var big = costLimit * 4 + 1;
            for (var r = 0; r < n; r++)
            {
                for (var c = 0; c < n; c++)
                {
                    double x;
                    if (r < rows && c < cols) { x = cost[(r * cols) + c]; if (!(x < costLimit)) x = big; }
                    else if (r >= rows && c >= cols) x = 0;
                    else x = costLimit / 2;
                    ext[(r * n) + c] = x;
                }
            }
            Span<int> full = n <= 256 ? stackalloc int[n] : new int[n];
            Hungarian(ext, n, n, false, full);
            for (var r = 0; r < rows; r++) rowToCol[r] = full[r] < cols && cost[(r * cols) + full[r]] < costLimit ? full[r] : -1;
            return;
        }
        if (rows <= cols)
        {
            Hungarian(cost, rows, cols, false, rowToCol);
        }
        else
        {
            Span<int> colToRow = cols <= 256 ? stackalloc int[cols] : new int[cols];
            Hungarian(cost, cols, rows, true, colToRow);
            for (var c = 0; c < cols; c++) if (colToRow[c] >= 0) rowToCol[colToRow[c]] = c;
        }
    }

    /// <summary>n &lt;= m. When transposed, element (i, j) is read from cost[j * n + i].</summary>
    private void Hungarian(ReadOnlySpan<double> cost, int n, int m, bool transposed, Span<int> result)
    {
        Ensure(n, m);
        var u = _u; var v = _v; var minv = _minv; var p = _p; var way = _way; var used = _used;
        Array.Clear(u, 0, n + 1); Array.Clear(v, 0, m + 1); Array.Clear(p, 0, m + 1); Array.Clear(way, 0, m + 1);
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            Array.Fill(minv, double.PositiveInfinity, 0, m + 1);
            Array.Clear(used, 0, m + 1);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    var a = transposed ? cost[((j - 1) * n) + (i0 - 1)] : cost[((i0 - 1) * m) + (j - 1)];
                    var cur = a - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (var j = 0; j <= m; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            }
            while (p[j0] != 0);
            do
            {
                var j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }
        result[..n].Fill(-1);
        for (var j = 1; j <= m; j++) if (p[j] != 0) result[p[j] - 1] = j - 1;
    }

    private void Ensure(int n, int m)
    {
        if (_u.Length < n + 1) _u = new double[n + 1];
        if (_v.Length < m + 1)
        {
            _v = new double[m + 1]; _minv = new double[m + 1];
            _p = new int[m + 1]; _way = new int[m + 1]; _used = new bool[m + 1];
        }
    }
}
