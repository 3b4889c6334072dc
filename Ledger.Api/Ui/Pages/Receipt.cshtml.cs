using System.Text;
using Ledger.Api.Log;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>One entry's receipt as a tlog-proof file: exactly what <c>GET /v1/log/receipt/{position}</c> answers, as a download.</summary>
public sealed class ReceiptModel(LedgerNode node, WitnessedCheckpoints checkpoints) : PageModel
{
    public string? Error { get; private set; }

    public long Position { get; private set; }

    public async Task<IActionResult> OnGetAsync(long position, CancellationToken ct)
    {
        Position = position;
        var result = await LogEndpoints.ReceiptAsync(node, checkpoints, position, ct).ConfigureAwait(false);
        if (result is ContentHttpResult { StatusCode: null or 200, ResponseContent: { } text })
        {
            return File(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"receipt-{position}.tlog-proof");
        }

        var problem = result as ProblemHttpResult;
        Error = problem?.ProblemDetails.Detail ?? "The receipt is not available.";
        Response.StatusCode = problem?.StatusCode ?? StatusCodes.Status500InternalServerError;
        return Page();
    }
}
