using System.Reflection;

namespace CaseFlow.Domain.Tests;

public sealed class ArchitectureTests
{
    /// <summary>The domain is pure: no I/O packages, no ASP.NET, no database client (issue 2).</summary>
    [Fact]
    public void The_domain_library_references_no_io_package()
    {
        var domain = typeof(CaseFlow.Domain.Common.Decision).Assembly;
        string[] forbidden = ["Npgsql", "Microsoft.AspNetCore", "System.Net.Http", "Microsoft.Extensions.Hosting", "Microsoft.EntityFrameworkCore", "System.Data", "Bogus", "OpenTelemetry", "CaseFlow.Persistence", "CaseFlow.Api"];
        var references = domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));

        var project = File.ReadAllText(Path.Combine(CaseFlow.Testing.Repository.Root, "src", "CaseFlow.Domain", "CaseFlow.Domain.csproj"));
        Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
    }

    /// <summary>Time comes in with the command: domain code never reads the clock.</summary>
    [Fact]
    public void The_domain_never_reads_the_clock()
    {
        var sources = Directory.GetFiles(Path.Combine(CaseFlow.Testing.Repository.Root, "src", "CaseFlow.Domain"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (var banned in new[] { "DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now", "DateTimeOffset.UtcNow", "TimeProvider.System", "Guid.NewGuid" })
                Assert.False(text.Contains(banned, StringComparison.Ordinal), $"{Path.GetFileName(file)} uses {banned}");
        }
    }

}
