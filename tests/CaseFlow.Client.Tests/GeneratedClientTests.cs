namespace CaseFlow.Client.Tests;

public sealed class GeneratedClientTests
{
    /// <summary>
    /// Generated/CaseFlowClient.cs is the client of the committed contract. When contracts/openapi.json changes, this
    /// fails until the client is regenerated: run the tests with CASEFLOW_UPDATE_CONTRACTS=1 and commit the new file
    /// (as ContractTests does for the contract itself).
    /// </summary>
    [Fact]
    public async Task The_committed_client_is_what_the_contract_generates()
    {
        var code = await ClientGenerator.GenerateAsync(await File.ReadAllTextAsync(ClientGenerator.ContractPath));
        if (Environment.GetEnvironmentVariable("CASEFLOW_UPDATE_CONTRACTS") == "1")
            await File.WriteAllTextAsync(ClientGenerator.ClientPath, code);
        Assert.True(File.Exists(ClientGenerator.ClientPath), "Generated/CaseFlowClient.cs is missing: run the tests once with CASEFLOW_UPDATE_CONTRACTS=1");
        Assert.True(await File.ReadAllTextAsync(ClientGenerator.ClientPath) == code,
            "Generated/CaseFlowClient.cs is not what contracts/openapi.json generates: run the tests with CASEFLOW_UPDATE_CONTRACTS=1 and commit it");
    }
}
