using Microsoft.AspNetCore.Components;

namespace Argus.Server.ConsoleUi;

/// <summary>
/// An admin page: loads its list through the API, runs actions that report success or the API's error, and reloads
/// after each.
/// </summary>
public abstract class AdminPage : ComponentBase
{
    [Inject] protected ConsoleApi Api { get; set; } = default!;
    protected string? Error { get; set; }
    protected string? Message { get; set; }

    protected abstract Task LoadAsync();

    protected override Task OnInitializedAsync() => LoadAsync();

    protected async Task Run(Func<Task> action, string? done = null)
    {
        Error = Message = null;
        try
        {
            await action();
            Message = done;
        }
        catch (ApiException e) { Error = e.Message; }
        await LoadAsync();
    }
}
