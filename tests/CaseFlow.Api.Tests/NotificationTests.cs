using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseFlow.Api.Tests;

/// <summary>
/// An SMS/staff-message gateway on loopback, as the HTTP adapter meets it in production: it answers 503 to the
/// first <see cref="FailuresPerMessage"/> calls for each message id (or to every call while <see cref="Down"/>),
/// then 202, and remembers what it accepted. A repeat of an accepted message id is dropped, as the gateway's
/// <c>Idempotency-Key</c> contract says, and counted in <see cref="Repeats"/>.
/// </summary>
public sealed class GatewayStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, int> _calls = new();

    public ConcurrentDictionary<Guid, int> Accepted { get; } = new();
    public ConcurrentDictionary<Guid, int> Repeats { get; } = new();

    /// <summary>Requests that broke contracts/gateway/message.json.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    private static readonly string[] ContractNames = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "contracts", "gateway", "message.json")))
        .RootElement.EnumerateObject().Select(p => p.Name).ToArray();
    public volatile int FailuresPerMessage;
    public volatile bool Down;

    private GatewayStub(WebApplication app) => _app = app;

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/messages");

    public int CallsFor(Guid messageId) => _calls.GetValueOrDefault(messageId);

    public static async Task<GatewayStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new GatewayStub(app);
        app.MapPost("/messages", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            var id = body.GetProperty("messageId").GetGuid();
            // contracts/gateway: the sample's property names, parameters as strings, the key the gateway deduplicates on.
            var names = body.EnumerateObject().Select(p => p.Name).ToList();
            if (!names.SequenceEqual(ContractNames) || body.GetProperty("parameters").EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String)
                || request.Headers["Idempotency-Key"].ToString() != id.ToString())
                stub.Violations.Enqueue($"{string.Join(",", names)} key={request.Headers["Idempotency-Key"]}");
            var call = stub._calls.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (stub.Down || call <= stub.FailuresPerMessage)
                return Results.StatusCode(503);
            if (!stub.Accepted.TryAdd(id, 1))
            {
                stub.Repeats.AddOrUpdate(id, 1, (_, n) => n + 1);
                return Results.Ok();
            }
            return Results.Accepted();
        });
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A host whose notifications leave by the HTTP adapter to <see cref="GatewayStub"/>, retried quickly.</summary>
public sealed class GatewayApiFactory : ApiFactory
{
    public GatewayStub Gateway { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Gateway = await GatewayStub.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("CaseFlow:Notifications:Gateway:Url", Gateway.Url.ToString());
        builder.UseSetting("CaseFlow:Notifications:Gateway:Timeout", "00:00:05");
        // Three quick retries, none scheduled later: four tries in all, then a dead letter.
        builder.UseSetting("CaseFlow:Notifications:Retry:Cooldowns", "00:00:00.05,00:00:00.1,00:00:00.2");
        builder.UseSetting("CaseFlow:Notifications:Retry:Scheduled", "");
    }
}

/// <summary>Issue 15: notifications through Wolverine's outbox to a real HTTP gateway — retried, delivered once, or parked for the administrator.</summary>
public sealed class NotificationTests(GatewayApiFactory api) : IClassFixture<GatewayApiFactory>
{
    private async Task<(Guid Inquiry, Guid Message)> ReferAsync(string topic)
    {
        var clerk = api.As("clerk-tw-1");
        var registered = await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = "刘建国", topic });
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var referred = await clerk.PostAsJsonAsync($"/api/window/inquiries/{id}/refer",
            new { targetWindowId = "window-2", targetPersonId = "clerk-tw-2", targetPersonName = "同事", reason = "转社保专窗" });
        Assert.Equal(200, (int)referred.StatusCode);
        return (id, await api.Db.ScalarAsync<Guid>("SELECT message_id FROM cf_outbox WHERE template = 'inquiry_referred_to_you' AND payload->>'inquiryId' = $1", id.ToString()));
    }

    [Fact]
    public async Task A_gateway_that_fails_three_times_then_answers_gets_the_message_exactly_once()
    {
        api.Gateway.FailuresPerMessage = 3;
        var spans = new ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name is "CaseFlow" or "Wolverine",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var (inquiryId, messageId) = await ReferAsync("失败三次后送达");

        await Eventually.TrueAsync(async () => await api.Db.ScalarAsync<string>("SELECT status FROM cf_outbox WHERE message_id = $1", messageId) == "sent", "the message delivered");
        Assert.Equal(1, api.Gateway.Accepted[messageId]);
        Assert.Equal(4, api.Gateway.CallsFor(messageId));
        Assert.Equal(4, await api.Db.ScalarAsync<int>("SELECT attempts FROM cf_outbox WHERE message_id = $1", messageId));
        // Every delivery attempt is in the trace of the command that caused the message.
        var command = Assert.Single(spans, a => a.Source.Name == "CaseFlow" && a.DisplayName == "command ReferInquiry"
            && Equals(a.GetTagItem("caseflow.stream.id"), inquiryId));
        // The handler's span stops after its "sent" is committed, so it may be recorded a moment later.
        await Eventually.TrueAsync(() => Task.FromResult(spans.Any(w => w.Source.Name == "Wolverine" && w.TraceId == command.TraceId
            && w.DisplayName.Contains("OutboxMessage", StringComparison.Ordinal))), "the delivery's span in the command's trace");
        Assert.Empty(api.Gateway.Violations);
        var dead = await api.As("admin-1").GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        Assert.DoesNotContain(dead.GetProperty("items").EnumerateArray(), d => d.GetProperty("messageId").GetString() == messageId.ToString());
    }

    [Fact]
    public async Task A_gateway_that_always_fails_leaves_a_dead_letter_the_administrator_sees_and_replays()
    {
        api.Gateway.Down = true;
        var (_, messageId) = await ReferAsync("网关故障");
        var admin = api.As("admin-1");

        JsonElement letter = default, page = default;
        await Eventually.TrueAsync(async () =>
        {
            page = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
            letter = page.GetProperty("items").EnumerateArray().FirstOrDefault(d => d.GetProperty("messageId").GetString() == messageId.ToString());
            return letter.ValueKind == JsonValueKind.Object;
        }, () => $"the message in the dead letters (calls {api.Gateway.CallsFor(messageId)}; list {page})");
        Assert.Equal("inquiry_referred_to_you", letter.GetProperty("template").GetString());
        Assert.Equal("the notification gateway answered 503", letter.GetProperty("failure").GetString());
        Assert.Equal(4, api.Gateway.CallsFor(messageId));
        Assert.False(api.Gateway.Accepted.ContainsKey(messageId));
        Assert.Equal("pending", await api.Db.ScalarAsync<string>("SELECT status FROM cf_outbox WHERE message_id = $1", messageId));
        Assert.Equal("gateway 503", await api.Db.ScalarAsync<string>("SELECT last_error FROM cf_outbox WHERE message_id = $1", messageId));

        // The operator sees it in /health/ready, and a clerk may not touch the dead letters.
        var ready = await api.Anonymous().GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString());
        Assert.Equal(403, (int)(await api.As("clerk-tw-1").GetAsync("/api/admin/dead-letters")).StatusCode);
        await (await admin.PostAsync($"/api/admin/dead-letters/{Guid.NewGuid()}/replay", null)).ProblemAsync(404, "dead_letter.not_found");
        // However large or strange the page asked, a refusal, never a 500.
        await (await admin.GetAsync($"/api/admin/dead-letters?limit={int.MaxValue}")).ProblemAsync(400, "list.limit_out_of_range");
        await (await admin.GetAsync("/api/admin/dead-letters?cursor=AAAA")).ProblemAsync(400, "list.cursor_invalid");

        // The gateway is mended; the administrator replays the letter: delivered once, with the same message id.
        api.Gateway.Down = false;
        Assert.Equal(202, (int)(await admin.PostAsync($"/api/admin/dead-letters/{letter.GetProperty("id").GetGuid()}/replay", null)).StatusCode);
        await Eventually.TrueAsync(async () => await api.Db.ScalarAsync<string>("SELECT status FROM cf_outbox WHERE message_id = $1", messageId) == "sent",
            () => $"the replayed message delivered (calls {api.Gateway.CallsFor(messageId)}; list {admin.GetStringAsync("/api/admin/dead-letters").Result})", TimeSpan.FromSeconds(60));
        Assert.Equal(1, api.Gateway.Accepted[messageId]);
        await Eventually.TrueAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters")).GetProperty("total").GetInt32() == 0, "the dead letters empty");
        ready = await api.Anonymous().GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString());
        Assert.Empty(api.Gateway.Violations);
    }
}
