namespace Argus.Server.Api;

internal static class Problems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail: detail, statusCode: 400, title: "Bad request");
    public static IResult NotFound(string detail) => Results.Problem(detail: detail, statusCode: 404, title: "Not found");
    public static IResult Forbidden(string detail) => Results.Problem(detail: detail, statusCode: 403, title: "Forbidden");
    public static IResult Conflict(string detail) => Results.Problem(detail: detail, statusCode: 409, title: "Conflict");
    public static IResult Unavailable(string detail) => Results.Problem(detail: detail, statusCode: 503, title: "Unavailable");
}
