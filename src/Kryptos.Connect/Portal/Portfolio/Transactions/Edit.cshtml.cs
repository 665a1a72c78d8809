using System.Globalization;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Transactions;

/// <summary>
/// Adds (<c>/transactions/new</c>) or edits a transaction with its asset lines, and deletes it. The
/// form has a fixed set of line rows, so it works without JavaScript; blank rows are ignored.
/// </summary>
public sealed class EditModel(TransactionService transactions, IntegrationService integrations, TimeProvider time) : WorkspacePageModel
{
    /// <summary>Blank rows offered beyond the transaction's own lines.</summary>
    private const int SpareRows = 2;

    [BindProperty]
    public TransactionInput Input { get; set; } = new();

    public Guid? TransactionId { get; private set; }

    public IReadOnlyList<IntegrationSummary> AccountOptions { get; private set; } = [];

    public bool IsNew => TransactionId is null;

    public async Task<IActionResult> OnGetAsync(string transaction)
    {
        if (await LoadAsync(transaction) is { } refused)
        {
            return refused;
        }

        if (TransactionId is { } id)
        {
            var existing = await transactions.FindAsync(Workspace.Id, id, HttpContext.RequestAborted);
            if (existing is null)
            {
                return NotFound();
            }

            Input = TransactionInput.From(existing);
        }
        else
        {
            Input.OccurredAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            Input.IntegrationId = AccountOptions.Count > 0 ? AccountOptions[0].Id : null;
        }

        PadLines();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string transaction)
    {
        if (await LoadAsync(transaction) is { } refused)
        {
            return refused;
        }

        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        ModelState.Clear();
        var draft = Parse();
        if (draft is not null)
        {
            var (result, errors, id) = await transactions.SaveAsync(Membership, TransactionId, draft, HttpContext.RequestAborted);
            if (result.IsDenied)
            {
                return StatusCode(StatusCodes.Status403Forbidden);
            }

            if (result.Succeeded)
            {
                TempData["Status"] = IsNew ? "Transaction added." : "Transaction saved.";
                return Redirect($"/workspaces/{Workspace.Id}/portfolio/transactions");
            }

            if (errors.Count == 0)
            {
                ModelState.AddModelError("", result.Error ?? "That transaction cannot be saved.");
            }

            foreach (var error in errors)
            {
                ModelState.AddModelError(KeyOf(error.Field), error.Message);
            }
        }

        PadLines();
        return Page().WithStatus(StatusCodes.Status400BadRequest);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string transaction)
    {
        if (await LoadAsync(transaction) is { } refused)
        {
            return refused;
        }

        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        if (TransactionId is not { } id)
        {
            return NotFound();
        }

        var result = await transactions.DeleteAsync(Membership, id, HttpContext.RequestAborted);
        if (result.IsDenied)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!result.Succeeded)
        {
            return NotFound();
        }

        TempData["Status"] = "Transaction deleted.";
        return Redirect($"/workspaces/{Workspace.Id}/portfolio/transactions");
    }

    private async Task<IActionResult?> LoadAsync(string transaction)
    {
        if (transaction != "new")
        {
            if (!Guid.TryParse(transaction, out var id))
            {
                return NotFound();
            }

            TransactionId = id;
        }

        AccountOptions = await integrations.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        return null;
    }

    /// <summary>Parses the form into a draft, adding a message next to each field it cannot read; null when any.</summary>
    private TransactionDraft? Parse()
    {
        var ok = true;
        if (!TransactionRules.TryParseName<TransactionType>(Input.Type, out var type) || !Enum.IsDefined(type))
        {
            ModelState.AddModelError("Input.Type", "Choose a type.");
            ok = false;
        }

        if (!TransactionRules.TryParseName<TransactionLabel>(Input.Label, out var label) || !Enum.IsDefined(label))
        {
            ModelState.AddModelError("Input.Label", "Choose a label.");
            ok = false;
        }

        if (TransactionRules.ParseTime(Input.OccurredAt, time.GetUtcNow(), out var occurredAt) is { } timeError)
        {
            ModelState.AddModelError("Input.OccurredAt", timeError);
            ok = false;
        }

        if (Input.IntegrationId is not { } integrationId)
        {
            ModelState.AddModelError("Input.IntegrationId", "Choose the account.");
            ok = false;
            integrationId = Guid.Empty;
        }

        var lines = new List<LineDraft>();
        for (var i = 0; i < Input.Lines.Count; i++)
        {
            var line = Input.Lines[i];
            if (string.IsNullOrWhiteSpace(line.Asset) && string.IsNullOrWhiteSpace(line.Quantity) && string.IsNullOrWhiteSpace(line.UnitPrice))
            {
                continue;
            }

            var prefix = $"Input.Lines[{i}].";
            if (!TransactionRules.TryParseName<LineDirection>(line.Direction, out var direction) || !Enum.IsDefined(direction))
            {
                ModelState.AddModelError(prefix + "Direction", "Choose in, out or fee.");
                ok = false;
            }

            if (TransactionRules.ParseAsset(line.Asset, out var asset) is { } assetError)
            {
                ModelState.AddModelError(prefix + "Asset", assetError);
                ok = false;
            }

            if (TransactionRules.ParseDecimal(line.Quantity, "quantity", TransactionRules.MaxQuantity, allowZero: false, out var quantity) is { } quantityError)
            {
                ModelState.AddModelError(prefix + "Quantity", quantityError);
                ok = false;
            }

            decimal? unitPrice = null;
            if (!string.IsNullOrWhiteSpace(line.UnitPrice))
            {
                if (TransactionRules.ParseDecimal(line.UnitPrice, "unit price", TransactionRules.MaxUnitPrice, allowZero: true, out var price) is { } priceError)
                {
                    ModelState.AddModelError(prefix + "UnitPrice", priceError);
                    ok = false;
                }

                unitPrice = price;
            }

            lines.Add(new LineDraft(direction, asset, quantity, unitPrice));
        }

        if (lines.Count == 0)
        {
            ModelState.AddModelError("", "Add at least one asset line: what came in, went out, or was paid as a fee.");
            ok = false;
        }

        if (TransactionRules.CheckText(Input.Description, Connect.Portfolio.Transactions.PortfolioTransaction.DescriptionMaxLength, "description") is { } descriptionError)
        {
            ModelState.AddModelError("Input.Description", descriptionError);
            ok = false;
        }

        return ok
            ? new TransactionDraft(type, label, occurredAt, integrationId, Input.CounterpartIntegrationId, Input.Description, lines)
            : null;
    }

    private static string KeyOf(string field) => field switch
    {
        "type" => "Input.Type",
        "label" => "Input.Label",
        "time" => "Input.OccurredAt",
        "integration" => "Input.IntegrationId",
        "counterpart" => "Input.CounterpartIntegrationId",
        "description" => "Input.Description",
        _ => "",
    };

    /// <summary>Makes sure the form offers an in, an out and a fee row, plus spare blank rows.</summary>
    private void PadLines()
    {
        foreach (var direction in new[] { LineDirection.In, LineDirection.Out, LineDirection.Fee })
        {
            if (!Input.Lines.Any(l => string.Equals(l.Direction, direction.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                Input.Lines.Add(new LineInput { Direction = direction.ToString() });
            }
        }

        var blanks = Input.Lines.Count(l => string.IsNullOrWhiteSpace(l.Asset) && string.IsNullOrWhiteSpace(l.Quantity));
        for (var i = blanks; i < SpareRows && Input.Lines.Count < TransactionRules.MaxLines; i++)
        {
            Input.Lines.Add(new LineInput { Direction = nameof(LineDirection.In) });
        }
    }
}

/// <summary>The transaction form, as typed: parsed by <see cref="TransactionRules"/> so the messages match the CSV import's.</summary>
public sealed class TransactionInput
{
    public string? Type { get; set; } = nameof(TransactionType.Trade);

    public string? Label { get; set; } = nameof(TransactionLabel.Buy);

    public string? OccurredAt { get; set; }

    public Guid? IntegrationId { get; set; }

    public Guid? CounterpartIntegrationId { get; set; }

    public string? Description { get; set; }

    public List<LineInput> Lines { get; set; } = [];

    public static TransactionInput From(PortfolioTransaction transaction) => new()
    {
        Type = transaction.Type.ToString(),
        Label = transaction.Label.ToString(),
        OccurredAt = transaction.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        IntegrationId = transaction.IntegrationId,
        CounterpartIntegrationId = transaction.CounterpartIntegrationId,
        Description = transaction.Description,
        Lines = [.. transaction.Lines.OrderBy(l => l.Direction).Select(l => new LineInput
        {
            Direction = l.Direction.ToString(),
            Asset = l.Asset,
            Quantity = Display.Quantity(l.Quantity),
            UnitPrice = l.UnitPrice is { } price ? Display.Quantity(price) : null,
        })],
    };
}

public sealed class LineInput
{
    public string? Direction { get; set; }

    public string? Asset { get; set; }

    public string? Quantity { get; set; }

    public string? UnitPrice { get; set; }
}
