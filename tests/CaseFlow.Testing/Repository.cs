namespace CaseFlow.Testing;

/// <summary>Where the repository is, found from a test's output folder (for contracts and source checks).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>
    /// Where a project of src/ was built in the configuration and framework these tests were (their output folder
    /// tests/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/ → src/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/).
    /// </summary>
    public static string BuildOutput(string project)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, "src", project, "bin", output.Parent!.Name, output.Name);
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CaseFlow.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CaseFlow.sln not found above the test folder");
    }
}
