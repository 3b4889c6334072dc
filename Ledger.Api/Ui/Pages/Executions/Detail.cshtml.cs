using Ledger.Application.Executions;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages.Executions;

/// <summary>One execution: what the read model knows, its events with receipts, the decision now (from the execution record), its parent and children.</summary>
public sealed class DetailModel(ProjectionEngine engine, ExecutionCommands commands) : PageModel
{
    public const int MaxChildren = 100;

    public string Id { get; private set; } = "";

    public ExecutionDetail? Execution { get; private set; }

    public ExecutionClearance? Decision { get; private set; }

    public ExecutionPage? Children { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Id = id;
        if (!ExecutionId.TryParse(id, out var executionId))
        {
            return Fail(StatusCodes.Status400BadRequest, $"'{id}' is not an execution id (1 to 128 characters of A–Z a–z 0–9 . _ : -).");
        }

        Execution = await engine.ReadModels.GetExecutionAsync(id, ct).ConfigureAwait(false);
        Decision = await commands.ClearanceAsync(executionId, ct).ConfigureAwait(false);
        if (Execution is null)
        {
            return Fail(
                StatusCodes.Status404NotFound,
                Decision is null
                    ? $"The ledger has no execution '{id}'."
                    : $"The read models do not know execution '{id}' yet (they lag the log); its decision now is below.");
        }

        Children = await engine.ReadModels.ListExecutionsAsync(
            new ExecutionQuery { RootId = Execution.RootId, ParentId = id, Limit = MaxChildren }, ct).ConfigureAwait(false);
        return Page();
    }

    private PageResult Fail(int status, string error)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }
}
