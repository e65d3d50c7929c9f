using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CaseFlow.Testing;
using Microsoft.Playwright;

namespace CaseFlow.Console.Tests;

/// <summary>
/// One real CaseFlow host process for all browser tests (the built CaseFlow.Api.dll with its console, Development, the
/// demo seeded through its commands) on its own database, its clock a file the tests move (FileClock — never the
/// machine's clock), and one headless Debian Chromium.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    /// <summary>Monday 2025-11-03 09:30 Beijing time: where the tests' clock starts.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2025-11-03T09:30:00+08:00", CultureInfo.InvariantCulture);

    private readonly DatabaseFixture _db = new();
    private readonly string _clockFile = Path.Combine(Path.GetTempPath(), $"caseflow-console-clock-{Guid.NewGuid():N}");
    private Process? _process;
    private IPlaywright? _playwright;

    public Uri Url { get; private set; } = null!;
    public ConcurrentQueue<string> Output { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public DatabaseFixture Db => _db;

    /// <summary>Where the README's screenshots go when CASEFLOW_SCREENSHOTS=1 (tests/CaseFlow.Console.Tests/Screenshots), else null.</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("CASEFLOW_SCREENSHOTS") == "1"
        ? Directory.CreateDirectory(Path.Combine(Repository.Root, "tests", "CaseFlow.Console.Tests", "Screenshots")).FullName
        : null;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        SetClock(Start);
        var bin = Repository.BuildOutput("CaseFlow.Api");
        if (!File.Exists(Path.Combine(bin, "console", "index.html")))
            throw new InvalidOperationException($"The console is not built in {bin}/console: Node.js and npm are needed to build src/CaseFlow.Console (the host project's MSBuild target)");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(bin, "CaseFlow.Api.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ConnectionStrings__CaseFlow"] = _db.ConnectionString;
        psi.Environment["CaseFlow__Clock__File"] = _clockFile;
        psi.Environment["CaseFlow__Background__SweepInterval"] = "00:00:01";
        psi.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } l) Output.Enqueue(l); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) Output.Enqueue(l); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = new Uri($"http://127.0.0.1:{port}");
        await Eventually.TrueAsync(() => Task.FromResult(_process.HasExited || Output.Any(l => l.Contains("The demo is ready", StringComparison.Ordinal))),
            () => "the host seeded the demo\n" + string.Join("\n", Output.TakeLast(30)), TimeSpan.FromSeconds(120));
        if (_process.HasExited)
            throw new InvalidOperationException("the host stopped:\n" + string.Join("\n", Output.TakeLast(40)));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        File.Delete(_clockFile);
        await _db.DisposeAsync();
    }

    /// <summary>Moves the host's clock (the file FileClock reads, replaced atomically).</summary>
    public void SetClock(DateTimeOffset at)
    {
        var next = _clockFile + ".next";
        File.WriteAllText(next, at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        File.Move(next, _clockFile, overwrite: true);
    }

    /// <summary>A fresh browser context (its own session storage) with a page on the host.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url.ToString(), Locale = "zh-CN", TimezoneId = "Europe/London", ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, AcceptDownloads = true });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login page's staff picker and waits for the header to name the person.</summary>
    public async Task<IPage> SignInAsync(string staffId, IPage? page = null)
    {
        page ??= await NewPageAsync();
        await page.GotoAsync("/login");
        await page.Locator("[data-test=staff-picker]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible").Filter(new LocatorFilterOptions { HasText = $"· " }).First.WaitForAsync();
        var name = (await StaffAsync()).First(s => s.GetProperty("id").GetString() == staffId).GetProperty("name").GetString()!;
        await page.Locator(".el-select-dropdown__item:visible").Filter(new LocatorFilterOptions { HasText = name }).First.ClickAsync();
        await page.Locator("[data-test=sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=who-name]")).ToHaveTextAsync(name);
        return page;
    }

    private JsonElement[]? _staff;

    public async Task<JsonElement[]> StaffAsync()
    {
        if (_staff is null)
        {
            using var http = new HttpClient { BaseAddress = Url };
            // One page of the list convention holds the whole demo staff.
            var page = await http.GetFromJsonAsync<JsonElement>("/dev/staff?limit=500");
            _staff = [.. page.GetProperty("items").EnumerateArray()];
        }
        return _staff;
    }

    /// <summary>An HTTP client with a demo token, for arranging what a test does not walk through in the browser.</summary>
    public async Task<HttpClient> ApiAsAsync(string staffId)
    {
        var http = new HttpClient { BaseAddress = Url };
        var token = await (await http.PostAsJsonAsync("/dev/tokens", new { staffId })).Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return http;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotFolder is { } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}
