using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// The browser console (issue 18; src/CaseFlow.Console) served by the host at "/": its built files (console/ beside the
/// assembly, copied there by the project's MSBuild target) and, for any other GET of a page — not /api, /dev,
/// /health or /swagger, which keep their own answers, such as the API's 404 problem details — its index.html, so the
/// console's own routes (e.g. /window/cases/…) load on a reload or a bookmark. Hashed assets are cached for a year,
/// index.html never. Without a built console (Node.js missing at build time) "/" says how to get one.
/// </summary>
public static class ConsoleHosting
{
    private static readonly string[] Reserved = ["/api", "/dev", "/health", "/swagger"];

    private const string NotBuilt = "<!doctype html><meta charset=utf-8><title>CaseFlow</title><p>浏览器控制台尚未构建：构建时未找到 Node.js。请安装 Node.js 20 以上版本后重新运行 <code>dotnet build</code>。接口文档见 <a href=\"/swagger\">/swagger</a>。</p>";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "console");

    public static bool Built => File.Exists(Path.Combine(Folder, "index.html"));

    public static void UseCaseFlowConsole(this WebApplication app, ILogger logger)
    {
        if (!Built)
        {
            logger.LogWarning("The browser console is not built (Node.js was missing at build time): the API runs without it; install Node.js 20+ and build again to serve it at /");
            app.Use(async (http, next) =>
            {
                if (http.Request.Path == "/" && HttpMethods.IsGet(http.Request.Method))
                {
                    http.Response.ContentType = "text/html; charset=utf-8";
                    await http.Response.WriteAsync(NotBuilt, http.RequestAborted);
                    return;
                }
                await next(http);
            });
            return;
        }
        var files = new PhysicalFileProvider(Folder);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = c => c.Context.Response.Headers[HeaderNames.CacheControl] =
                c.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        });
        var index = files.GetFileInfo("index.html");
        app.Use(async (http, next) =>
        {
            var path = http.Request.Path;
            if (http.GetEndpoint() is null && HttpMethods.IsGet(http.Request.Method) && !Reserved.Any(r => path.StartsWithSegments(r, StringComparison.OrdinalIgnoreCase)))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                await http.Response.SendFileAsync(index, http.RequestAborted);
                return;
            }
            await next(http);
        });
    }
}
