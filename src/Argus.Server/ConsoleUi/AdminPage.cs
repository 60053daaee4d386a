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

    private Task _load = Task.CompletedTask;

    protected abstract Task LoadAsync();

    protected override Task OnInitializedAsync() => _load = LoadAsync();

    protected async Task Run(Func<Task> action, string? done = null)
    {
        // The form is live while the first load is still out; if that load answered after an action's reload it
        // would put back the list from before the action (an added row vanished on a loaded machine).
        try { await _load; } catch (ApiException) { }
        Error = Message = null;
        try
        {
            await action();
            Message = done;
        }
        catch (ApiException e) { Error = e.Message; }
        await (_load = LoadAsync());
    }
}
