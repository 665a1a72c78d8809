using Microsoft.Playwright;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// Whether a page scrolls sideways in its window, and which element pushes it out. Measured in the
/// browser: <c>scrollWidth</c> of the document and the body against the window's layout width, plus
/// every element's and text's <c>getBoundingClientRect().right</c>, so a failure names the culprit.
/// </summary>
public sealed class HorizontalOverflow
{
    // clientWidth is innerWidth without a classic scrollbar: the stricter form of
    // "scrollWidth <= innerWidth". An element inside a box that scrolls or clips on its own (a table
    // in its scroll wrapper) cannot widen the page, so it is not a culprit; one that sticks out of the
    // body is, even when something clips it, because then its content is unreachable.
    private const string Script = """
        () => {
          const width = document.documentElement.clientWidth;
          const inOwnBox = parent => {
            for (; parent && parent !== document.body; parent = parent.parentElement) {
              if (getComputedStyle(parent).overflowX !== 'visible') return true;
            }
            return false;
          };
          const describe = element => {
            let name = element.tagName.toLowerCase();
            if (element.id) name += '#' + element.id;
            if (typeof element.className === 'string' && element.className.trim()) name += '.' + element.className.trim().split(/\s+/).join('.');
            const text = (element.value || element.textContent || '').trim().replace(/\s+/g, ' ');
            return text ? `${name} "${text.length > 70 ? text.slice(0, 67) + '...' : text}"` : name;
          };
          let widest = null;
          let right = width;
          let widestAnywhere = null;
          let rightAnywhere = width;
          const consider = (box, element, container) => {
            if (box.width === 0 || box.right <= width + 0.5) return;
            if (box.right > rightAnywhere) {
              rightAnywhere = box.right;
              widestAnywhere = element;
            }
            if (box.right > right && !inOwnBox(container)) {
              right = box.right;
              widest = element;
            }
          };
          for (const element of document.body.querySelectorAll('*')) {
            consider(element.getBoundingClientRect(), element, element.parentElement);
          }
          // Text overflows its element without widening it: a long URL in a <pre>.
          const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let text = texts.nextNode(); text; text = texts.nextNode()) {
            range.selectNodeContents(text);
            consider(range.getBoundingClientRect(), text.parentElement, text.parentElement);
          }
          // An absolutely positioned element escapes a scrolling box that is not its containing
          // block; when nothing else explains a page that is too wide, name the widest of all.
          if (!widest && Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) > width) {
            widest = widestAnywhere;
            right = rightAnywhere;
          }
          return {
            windowWidth: width,
            documentWidth: document.documentElement.scrollWidth,
            bodyWidth: document.body.scrollWidth,
            widest: widest && describe(widest),
            widestRight: Math.ceil(right),
          };
        }
        """;

    /// <summary>The window's layout width (without a classic scrollbar).</summary>
    public int WindowWidth { get; init; }

    public int DocumentWidth { get; init; }

    public int BodyWidth { get; init; }

    /// <summary>The element reaching furthest right past the window, or null when none does.</summary>
    public string? Widest { get; init; }

    public int WidestRight { get; init; }

    public bool Fits => DocumentWidth <= WindowWidth && BodyWidth <= WindowWidth && Widest is null;

    public static Task<HorizontalOverflow> MeasureAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<HorizontalOverflow>(Script);
    }

    public override string ToString() =>
        $"the page is {Math.Max(DocumentWidth, BodyWidth)} px wide in a {WindowWidth} px window"
        + (Widest is null ? "" : $"; the widest element reaches {WidestRight} px: {Widest}");
}
