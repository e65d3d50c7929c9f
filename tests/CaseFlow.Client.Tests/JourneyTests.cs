namespace CaseFlow.Client.Tests;

/// <summary>
/// Issue 16 "Contract": a client generated from the committed document (Generated/CaseFlowClient.cs) drives a case
/// from the window to the back office and back, with no request written by hand.
/// </summary>
public sealed class JourneyTests(ClientHost host) : IClassFixture<ClientHost>
{
    private static readonly Applicant LiuJianguo = new() { Kind = ApplicantKind.Person, Name = "刘建国", ResidentIdNumber = "11010519491231002X", Phone = "13907971234" };

    /// <summary>A client logged in as a member of the demo staff, through the client's own Development login.</summary>
    private async Task<CaseFlowClient> LogInAsync(string staffId)
    {
        var token = await host.Anonymous().IssueDemoTokenAsync(new DevTokenRequest { StaffId = staffId });
        Assert.Equal("Bearer", token.TokenType);
        return host.WithToken(token.AccessToken);
    }

    private static string Tag(long version) => $"\"{version}\"";

    [Fact]
    public async Task A_case_is_received_accepted_decided_and_handed_out_through_the_generated_client()
    {
        var clerk = await LogInAsync("clerk-tw-1");
        var item = (await clerk.ListWindowServiceItemsAsync("window-tw-1", "城乡居民基本养老保险待遇申领")).Items.First();

        // A list through the client: the window's catalogue walked five items at a time to its end, as many as its total.
        var seen = new List<Guid>();
        string? cursor = null;
        long? total = null;
        do
        {
            var page = await clerk.ListWindowServiceItemsAsync("window-tw-1", limit: 5, cursor: cursor);
            seen.AddRange(page.Items.Select(i => i.Id));
            (cursor, total) = (page.NextCursor, page.Total);
        }
        while (cursor is not null);
        Assert.True(seen.Count > 5, $"more than one page ({seen.Count})");
        Assert.Equal(total, seen.Distinct().Count());
        Assert.Contains(item.Id, seen);

        // 收件 and 受理 at the window: every material on the checklist is there.
        var received = await clerk.ReceiveCaseAsync(new ReceiveCaseRequest
        {
            WindowId = "window-tw-1", ItemId = item.Id, Applicant = LiuJianguo,
            Materials = [.. new[] { "M00", "M01", "M04", "M05" }.Select(code => new ReceivedMaterial { Code = code, State = MaterialState.Present })],
        });
        var id = received.Id;
        Assert.Contains("case.received.v1", received.Events);
        // The commands' headers: If-Match names the version read (an entity tag, "n"); a stale one is a typed 412.
        var stale = await Assert.ThrowsAsync<ApiException<Problem>>(() => clerk.AcceptCaseAsync(id, ifMatch: Tag(received.Version - 1), body: new AcceptCaseRequest()));
        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(received.Version, stale.Result.CurrentVersion);
        var accepted = await clerk.AcceptCaseAsync(id, ifMatch: Tag(received.Version), idempotencyKey: Guid.NewGuid().ToString(), body: new AcceptCaseRequest());
        var view = await clerk.GetCaseAsync(id);
        Assert.Equal(CaseStatus.Accepted, view.Status);
        Assert.Equal(accepted.Version, view.Version);

        // The department part in the back office: claimed, each step passed, approved, the result registered.
        var approver = await LogInAsync("approver-rsj-2");
        var part = (await approver.GetBackOfficeCaseAsync(id)).Parts.Single();
        await approver.ClaimPartAsync(id, part.PartId);
        for (var step = 1; step < part.Steps.Count; step++)
            await approver.CompleteStepAsync(id, part.PartId, new StepRequest { Action = StepAction.Pass, Opinion = "符合条件。" });
        await approver.DecidePartAsync(id, part.PartId, new DecisionRequest { Approved = true, Opinion = "准予。" });
        await approver.RegisterResultAsync(id, part.PartId, new ResultRequest
        {
            Documents = [new ResultDocument { Kind = "待遇核定通知", Number = "宁人社待〔2025〕120号" }], SealId = "seal-361130-spj-01",
        });

        // 出件: someone who is not the applicant and shows no authorisation is refused, as a typed problem.
        var version = (await clerk.GetCaseAsync(id)).Version;
        var refused = await Assert.ThrowsAsync<ApiException<Problem>>(() =>
            clerk.HandOutResultAsync(id, new HandOutRequest { ReceiverName = "王秀英", ReceiverIdNumber = "360730199001011238" }));
        Assert.Equal(422, refused.StatusCode);
        Assert.Equal("pickup.receiver_not_authorised", refused.Result.Code);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", refused.Result.Detail);
        Assert.Equal(version, (await clerk.GetCaseAsync(id)).Version);

        await clerk.HandOutResultAsync(id, new HandOutRequest { ReceiverName = LiuJianguo.Name, ReceiverIdNumber = LiuJianguo.ResidentIdNumber! });
        var closed = await clerk.GetCaseAsync(id);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal("刘建国", closed.Handover.ReceiverName);
        Assert.True(closed.Handover.ByApplicant);
    }

    [Fact]
    public async Task An_unknown_member_of_staff_gets_no_token_but_a_typed_problem()
    {
        var refused = await Assert.ThrowsAsync<ApiException<Problem>>(() => host.Anonymous().IssueDemoTokenAsync(new DevTokenRequest { StaffId = "nobody" }));
        Assert.Equal(404, refused.StatusCode);
        Assert.Equal("dev.staff_not_found", refused.Result.Code);
    }
}
