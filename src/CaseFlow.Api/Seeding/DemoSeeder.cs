using Bogus;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.Commands;
using Npgsql;

namespace CaseFlow.Api.Seeding;

/// <summary>
/// Fills an empty database with a realistic demo (Development only, <c>CaseFlow:Demo:Seed=false</c> turns it off),
/// driving the same commands that users send — never inserting read-model rows. Each capability adds its slice.
/// </summary>
public sealed class DemoSeeder(CommandPipeline pipeline, NpgsqlDataSource db, ILogger<DemoSeeder> logger)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM cf_streams)"))
        {
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
                return;
        }
        var commands = await SeedCatalogueAsync(ct) + await SeedInquiriesAsync(ct);
        logger.LogInformation("Seeded the demo: {Staff} staff to log in as (GET /dev/staff), {Commands} commands", DemoStaff.All.Count, commands);
    }

    /// <summary>The service-item catalogue, published by the demo administrator.</summary>
    private async Task<int> SeedCatalogueAsync(CancellationToken ct)
    {
        var admin = ActorOf(DemoStaff.FirstOf(Role.Admin)) with { Channel = Channel.BackOffice };
        foreach (var definition in DemoCatalogue.Items)
        {
            var id = ServiceItemId.For(definition.ImplementationCode);
            var outcome = await pipeline.ExecuteAsync(ServiceItem.Kind, id, new CommandContext("PublishServiceItem", admin, "demo-seed"),
                (s, now) => ServiceItem.Decide(new PublishServiceItem(id, definition), s, admin, now), ct);
            if (outcome is not CommandOutcome.Succeeded)
                throw new InvalidOperationException($"Demo catalogue item {definition.Name} failed: {outcome}");
        }
        return DemoCatalogue.Items.Count;
    }

    private static Actor ActorOf(StaffMember s) => new(s.Id, s.Name, s.Role, s.UnitId, s.UnitName, Channel.Window);

    /// <summary>首问: open, answered and referred inquiries on the township clerks' worklists.</summary>
    private async Task<int> SeedInquiriesAsync(CancellationToken ct)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(7) };
        var clerks = DemoStaff.All.Where(s => s.Role == Role.Clerk).ToList();
        string[] topics = ["城乡居民养老保险参保登记需要带什么材料", "新生儿医保怎么办理", "农村建房审批流程", "残疾人两项补贴申请条件", "营业执照变更", "居住证办理"];
        var count = 0;
        for (var i = 0; i < 12; i++)
        {
            var clerk = ActorOf(clerks[i % clerks.Count]);
            var id = Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
            var register = new RegisterInquiry(id, faker.Name.LastName() + faker.Name.FirstName(), "1" + faker.Random.ReplaceNumbers("3#########"), faker.PickRandom(topics), null, Channel.Window);
            await RunAsync(clerk, id, "RegisterInquiry", (s, now) => InquiryDecider.Decide(register, s, clerk, now), ct);
            count++;
            if (i % 3 == 1)
            {
                await RunAsync(clerk, id, "AnswerInquiry", (s, now) => InquiryDecider.Decide(new AnswerInquiry(id, "已一次性告知所需材料清单并提供样表。"), s, clerk, now), ct);
                count++;
            }
            else if (i % 3 == 2)
            {
                var target = clerks.First(c => c.Id != clerk.Id);
                await RunAsync(clerk, id, "ReferInquiry", (s, now) => InquiryDecider.Decide(new ReferInquiry(id, "window-2", target.Id, target.Name, "涉及社保业务，转社保专窗", null), s, clerk, now), ct);
                count++;
            }
        }
        return count;
    }

    private async Task RunAsync(Actor actor, Guid id, string name, Func<Inquiry, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        var outcome = await pipeline.ExecuteAsync(Inquiry.Kind, id, new CommandContext(name, actor, "demo-seed"), decide, ct);
        if (outcome is not CommandOutcome.Succeeded)
            throw new InvalidOperationException($"Demo seed command {name} failed: {outcome}");
    }
}
