namespace CaseFlow.Testing;

/// <summary>Where the repository is, found from a test's output folder (for contracts and source checks).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CaseFlow.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CaseFlow.sln not found above the test folder");
    }
}
