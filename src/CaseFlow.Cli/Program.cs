using CaseFlow.Cli;

// caseflow — the operators' command line (seed, bench, rebuild, migrate). See `caseflow help`.
return await Commands.RunAsync(args);
