using Argus.Vision.Tracking;

namespace Argus.Vision.Tests.Tracking;

public class LinearAssignmentTests
{
    private static double Total(double[,] c, int[] a)
    {
        double s = 0;
        for (var r = 0; r < a.Length; r++) if (a[r] >= 0) s += c[r, a[r]];
        return s;
    }

    private static double BruteForce(double[,] c)
    {
        int rows = c.GetLength(0), cols = c.GetLength(1);
        var best = double.PositiveInfinity;
        void Go(int r, bool[] used, double sum)
        {
            if (r == rows) { best = Math.Min(best, sum); return; }
            for (var j = 0; j < cols; j++)
            {
                if (used[j]) continue;
                used[j] = true;
                Go(r + 1, used, sum + c[r, j]);
                used[j] = false;
            }
        }
        Go(0, new bool[cols], 0);
        return best;
    }

    [Fact]
    public void A_textbook_matrix_gets_its_optimal_assignment()
    {
        var c = new double[,] { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        var a = LinearAssignment.Solve(c);
        Assert.Equal([1, 0, 2], a);
        Assert.Equal(5, Total(c, a));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 6)]
    [InlineData(6, 3)]
    [InlineData(7, 7)]
    public void Random_matrices_match_brute_force(int rows, int cols)
    {
        var rng = new Random(rows * 31 + cols);
        for (var trial = 0; trial < 30; trial++)
        {
            var c = new double[rows, cols];
            for (var r = 0; r < rows; r++) for (var j = 0; j < cols; j++) c[r, j] = Math.Round(rng.NextDouble() * 10, 2);
            var a = LinearAssignment.Solve(c);
            Assert.Equal(Math.Min(rows, cols), a.Count(x => x >= 0));
            Assert.Equal(a.Where(x => x >= 0).Count(), a.Where(x => x >= 0).Distinct().Count());
            var expected = rows <= cols ? BruteForce(c) : BruteForce(Transpose(c));
            Assert.Equal(expected, Total(c, a), 9);
        }
    }

    [Fact]
    public void With_a_cost_limit_one_good_pair_beats_two_poor_ones_and_nothing_above_the_limit_is_returned()
    {
        // Row 0 fits column 0 very well; the alternative uses two pairs near the limit.
        var c = new double[,] { { 0.1, 0.7 }, { 0.7, 5 } };
        Assert.Equal([0, -1], LinearAssignment.Solve(c, costLimit: 0.75));
        // Without a limit the solver maximises the number of pairs.
        Assert.Equal([1, 0], LinearAssignment.Solve(c));
        Assert.Equal([-1, -1], LinearAssignment.Solve(new double[,] { { 0.9, 0.95 }, { 1, 2 } }, costLimit: 0.8));
    }

    private static double[,] Transpose(double[,] c)
    {
        var t = new double[c.GetLength(1), c.GetLength(0)];
        for (var r = 0; r < c.GetLength(0); r++) for (var j = 0; j < c.GetLength(1); j++) t[j, r] = c[r, j];
        return t;
    }
}
