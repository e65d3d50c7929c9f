using CaseFlow.Domain.Catalogue;

namespace CaseFlow.Api.Seeding;

/// <summary>
/// A realistic county/township catalogue (30 items, ten categories). Published in the demo through the same admin
/// command users send. Codes follow the GB/T 39046 shape (basic code + implementation code); limits are in
/// working days, promised ≤ statutory.
/// </summary>
public static class DemoCatalogue
{
    private const string Rsj = "dept-361130-rsj";  // 人力资源和社会保障局
    private const string Ybj = "dept-361130-ybj";  // 医疗保障局
    private const string Mzj = "dept-361130-mzj";  // 民政局
    private const string Gaj = "dept-361130-gaj";  // 公安局
    private const string Tyjrj = "dept-361130-tyjrj"; // 退役军人事务局
    private const string Wjw = "dept-361130-wjw";  // 卫生健康委员会
    private const string Zrzyj = "dept-361130-zrzyj"; // 自然资源局
    private const string Bdcdj = "dept-361130-bdc"; // 不动产登记中心
    private const string Scjgj = "dept-361130-scjgj"; // 市场监督管理局
    private const string Gsgs = "dept-361130-gsgs"; // 供水公司 (公用事业)
    private const string Sw = "dept-361130-sw";    // 税务局
    private const string Zjj = "dept-361130-zjj";  // 住房和城乡建设局

    private static readonly Material IdCard = new("M01", "申请人居民身份证", true, true, true, 1, false);
    private static readonly Material Hukou = new("M02", "户口簿", true, false, true, 1, true);
    private static readonly Material Form = new("M00", "申请表", true, true, true, 1, false);
    private static readonly Material Photo = new("M03", "近期免冠一寸照片", false, false, true, 2, false);
    private static readonly Material Bank = new("M04", "本人银行账户（社保卡）复印件", true, false, false, 1, true);
    private static readonly Material Proxy = new("M09", "委托书及受托人身份证（代办时）", false, false, true, 1, false);

    private sealed record Spec(string Code, string Name, string Category, string Type, ServiceLevel Accept, ServiceLevel Decide, bool Agent,
        int Statutory, int Promised, string Department, decimal Fee, string Basis, Material[] Extra);

    private static readonly Spec[] Specs =
    [
        new("000201001", "城乡居民基本养老保险参保登记", "社会保障", "20", ServiceLevel.Township, ServiceLevel.Township, true, 5, 0, Rsj, 0, "《国务院关于建立统一的城乡居民基本养老保险制度的意见》", [Bank]),
        new("000201002", "城乡居民基本养老保险待遇申领", "社会保障", "05", ServiceLevel.Township, ServiceLevel.County, true, 20, 10, Rsj, 0, "《中华人民共和国社会保险法》第二十二条", [Bank, new("M05", "户口簿首页及本人页", true, true, false, 1, false)]),
        new("000201003", "失业保险金申领", "社会保障", "05", ServiceLevel.County, ServiceLevel.County, false, 20, 5, Rsj, 0, "《失业保险条例》第十四条", [new("M05", "解除或终止劳动关系证明", true, true, true, 1, false), Bank]),
        new("000201004", "就业创业证申领", "社会保障", "20", ServiceLevel.Township, ServiceLevel.Township, true, 5, 0, Rsj, 0, "《就业服务与就业管理规定》", [Photo]),
        new("000201005", "社会保障卡补换领", "社会保障", "20", ServiceLevel.Township, ServiceLevel.County, true, 20, 7, Rsj, 0, "《社会保障卡管理办法》", [Photo]),
        new("000301001", "城乡居民基本医疗保险参保登记", "医疗保障", "20", ServiceLevel.Township, ServiceLevel.Township, true, 5, 0, Ybj, 0, "《中华人民共和国社会保险法》第二十五条", []),
        new("000301002", "新生儿参加城乡居民医疗保险", "医疗保障", "20", ServiceLevel.Township, ServiceLevel.Township, true, 5, 0, Ybj, 0, "国家医保局《关于做好新生儿参保工作的通知》", [new("M05", "出生医学证明", true, true, false, 1, false)]),
        new("000301003", "异地就医备案", "医疗保障", "20", ServiceLevel.Township, ServiceLevel.County, true, 10, 3, Ybj, 0, "《基本医疗保险跨省异地就医直接结算经办规程》", [new("M05", "异地居住或工作证明（可告知承诺）", true, false, false, 1, true)]),
        new("000301004", "门诊慢特病待遇认定", "医疗保障", "07", ServiceLevel.Township, ServiceLevel.County, true, 20, 15, Ybj, 0, "《医疗保障基金使用监督管理条例》", [new("M05", "二级以上医院诊断证明及病历", true, true, true, 1, false)]),
        new("000401001", "最低生活保障审核确认", "民政", "05", ServiceLevel.Township, ServiceLevel.County, true, 30, 25, Mzj, 0, "《社会救助暂行办法》第十一条", [Hukou, new("M05", "家庭收入和财产状况申报及授权核对书", true, true, true, 1, false)]),
        new("000401002", "特困人员救助供养审核确认", "民政", "05", ServiceLevel.Township, ServiceLevel.County, true, 30, 25, Mzj, 0, "《社会救助暂行办法》第十六条", [Hukou]),
        new("000401003", "临时救助", "民政", "05", ServiceLevel.Township, ServiceLevel.Township, true, 20, 10, Mzj, 0, "《社会救助暂行办法》第四十八条", [new("M05", "困难情况说明", true, false, true, 1, true)]),
        new("000401004", "困难残疾人生活补贴和重度残疾人护理补贴", "民政", "05", ServiceLevel.Township, ServiceLevel.County, true, 20, 15, Mzj, 0, "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》", [new("M05", "第二代残疾人证", true, true, true, 1, false)]),
        new("000401005", "内地居民婚姻登记", "民政", "07", ServiceLevel.County, ServiceLevel.County, false, 0, 0, Mzj, 0, "《婚姻登记条例》第七条", [Photo, Hukou]),
        new("000501001", "居住证申领", "户籍", "20", ServiceLevel.Township, ServiceLevel.County, false, 15, 10, Gaj, 0, "《居住证暂行条例》第十条", [Photo, new("M05", "居住、就业或就读证明", true, true, false, 1, true)]),
        new("000501002", "出生登记", "户籍", "07", ServiceLevel.Township, ServiceLevel.County, true, 20, 5, Gaj, 0, "《中华人民共和国户口登记条例》第七条", [new("M05", "出生医学证明", true, true, true, 1, false), Hukou]),
        new("000501003", "死亡注销户口", "户籍", "07", ServiceLevel.Township, ServiceLevel.County, true, 20, 3, Gaj, 0, "《中华人民共和国户口登记条例》第八条", [new("M05", "死亡医学证明或火化证明", true, true, true, 1, false), Hukou]),
        new("000601001", "退役士兵自主就业一次性经济补助金给付", "退役军人", "05", ServiceLevel.County, ServiceLevel.County, false, 20, 15, Tyjrj, 0, "《退役士兵安置条例》第十九条", [new("M05", "退出现役证", true, true, true, 1, false), Bank]),
        new("000601002", "优待证申领", "退役军人", "20", ServiceLevel.Township, ServiceLevel.County, true, 20, 10, Tyjrj, 0, "《退役军人、其他优抚对象优待证管理办法》", [Photo]),
        new("000601003", "伤残抚恤金给付", "退役军人", "05", ServiceLevel.County, ServiceLevel.County, false, 30, 20, Tyjrj, 0, "《军人抚恤优待条例》", [new("M05", "残疾军人证", true, true, true, 1, false), Bank]),
        new("000701001", "生育登记", "卫生健康", "20", ServiceLevel.Township, ServiceLevel.Township, true, 5, 0, Wjw, 0, "《中华人民共和国人口与计划生育法》", []),
        new("000701002", "农村部分计划生育家庭奖励扶助金审核", "卫生健康", "05", ServiceLevel.Township, ServiceLevel.County, true, 30, 20, Wjw, 0, "《农村部分计划生育家庭奖励扶助制度》", [Hukou]),
        new("000701003", "出生医学证明补发", "卫生健康", "20", ServiceLevel.County, ServiceLevel.County, false, 20, 10, Wjw, 0, "《出生医学证明管理办法》", [new("M05", "原出生医学证明遗失声明", false, false, true, 1, true)]),
        new("000801001", "农村村民宅基地和建房（规划许可）审批", "农村建房", "01", ServiceLevel.Township, ServiceLevel.Township, true, 20, 15, Zrzyj, 0, "《中华人民共和国土地管理法》第六十二条", [new("M05", "农村宅基地和建房（规划许可）申请表", true, true, true, 1, false), new("M06", "村民小组会议记录及公示材料", true, true, true, 1, false), new("M07", "建房设计图或通用图", true, false, false, 1, false)]),
        new("000801002", "乡村建设规划许可证核发", "农村建房", "01", ServiceLevel.Township, ServiceLevel.Township, false, 20, 10, Zrzyj, 0, "《中华人民共和国城乡规划法》第四十一条", [new("M05", "建设工程设计方案", true, true, false, 1, false)]),
        new("000901001", "不动产首次登记", "不动产登记", "07", ServiceLevel.County, ServiceLevel.County, false, 30, 5, Bdcdj, 80, "《不动产登记暂行条例》第二十条", [new("M05", "土地权属来源材料", true, true, true, 1, false), new("M06", "房屋竣工验收材料", true, true, true, 1, false)]),
        new("000901002", "不动产转移登记", "不动产登记", "07", ServiceLevel.County, ServiceLevel.County, false, 30, 3, Bdcdj, 80, "《不动产登记暂行条例》第二十条", [new("M05", "不动产权证书", true, true, true, 1, false), new("M06", "买卖合同", true, true, true, 1, false), new("M07", "完税凭证", true, false, false, 1, false)]),
        new("001001001", "个体工商户设立登记", "市场主体登记", "01", ServiceLevel.Township, ServiceLevel.County, true, 15, 1, Scjgj, 0, "《促进个体工商户发展条例》", [new("M05", "经营场所使用证明（可告知承诺）", true, false, false, 1, true)]),
        new("001001002", "个体工商户注销登记", "市场主体登记", "01", ServiceLevel.Township, ServiceLevel.County, true, 15, 1, Scjgj, 0, "《中华人民共和国市场主体登记管理条例》", [new("M05", "营业执照正副本", true, true, true, 1, false)]),
        new("001001003", "企业设立登记", "市场主体登记", "01", ServiceLevel.County, ServiceLevel.County, false, 15, 1, Scjgj, 0, "《中华人民共和国市场主体登记管理条例》第十九条", [new("M05", "公司章程", true, true, true, 1, false), new("M06", "住所使用证明（可告知承诺）", true, false, false, 1, true)]),
        new("001001004", "公章刻制备案", "市场主体登记", "20", ServiceLevel.County, ServiceLevel.County, false, 5, 1, Gaj, 0, "《印铸刻字业暂行管理规则》", [new("M05", "营业执照", true, true, false, 1, false)]),
        new("001001005", "首次申领发票", "市场主体登记", "20", ServiceLevel.County, ServiceLevel.County, false, 5, 1, Sw, 0, "《中华人民共和国发票管理办法》第十五条", [new("M05", "营业执照", true, true, false, 1, false)]),
        new("000201007", "单位参保登记", "社会保障", "20", ServiceLevel.County, ServiceLevel.County, false, 5, 1, Rsj, 0, "《社会保险费征缴暂行条例》第七条", [new("M05", "营业执照", true, true, false, 1, false)]),
        new("000901003", "存量房买卖合同网签备案", "不动产登记", "20", ServiceLevel.County, ServiceLevel.County, false, 5, 1, Zjj, 0, "《城市房地产管理法》", [new("M05", "不动产权证书", true, true, false, 1, false)]),
        new("000901004", "存量房交易契税申报", "不动产登记", "20", ServiceLevel.County, ServiceLevel.County, false, 5, 1, Sw, 0, "《中华人民共和国契税法》", [new("M05", "买卖合同", true, true, false, 1, false)]),
        new("001201001", "建设工程规划许可证核发", "工程建设", "01", ServiceLevel.County, ServiceLevel.County, false, 20, 15, Zrzyj, 0, "《中华人民共和国城乡规划法》第四十条", [new("M05", "建设工程设计方案", true, true, false, 1, false), new("M06", "建设用地使用权证明", true, true, false, 1, false)]),
        new("001201002", "建筑工程施工许可证核发", "工程建设", "01", ServiceLevel.County, ServiceLevel.County, false, 15, 7, Zjj, 0, "《中华人民共和国建筑法》第八条", [new("M05", "施工图审查合格证明（可告知承诺）", true, false, false, 1, true), new("M06", "施工合同", true, true, false, 1, false)]),
        new("001201003", "建设工程消防设计审查", "工程建设", "01", ServiceLevel.County, ServiceLevel.County, false, 15, 10, Zjj, 0, "《建设工程消防设计审查验收管理暂行规定》", [new("M05", "消防设计文件", true, true, false, 1, false)]),
        new("001101001", "居民生活用水报装", "公用事业报装", "20", ServiceLevel.Township, ServiceLevel.Township, true, 10, 3, Gsgs, 0, "《城镇供水服务》（GB/T 32063）", [new("M05", "房屋产权或租赁证明", true, true, false, 1, true)]),
    ];

    /// <summary>The three bundles of the seeds (宁都县 三级联动方案): 企业开办 1 WD, 不动产交易登记缴税 3 WD, 工程建设项目审批 ≤ 60 WD.</summary>
    public static IReadOnlyList<BundleDefinition> Bundles { get; } =
    [
        new("YJS-361130-001", "企业开办“一件事”", ["361130-001001003", "361130-001001004", "361130-001001005", "361130-000201007"], Scjgj, [Gaj, Sw, Rsj], 1, 20),
        new("YJS-361130-002", "不动产交易、登记、缴税“一件事”", ["361130-000901003", "361130-000901004", "361130-000901002"], Bdcdj, [Zjj, Sw], 3, 20),
        new("YJS-361130-003", "工程建设项目审批“一件事”", ["361130-001201001", "361130-001201002", "361130-001201003"], Zrzyj, [Zjj], 60, 45),
    ];

    /// <summary>Definitions built from the specs: materials (common + item-specific) and steps sharing the promised limit.</summary>
    public static IReadOnlyList<ServiceItemDefinition> Items { get; } = Specs.Select(Build).ToList();

    private static ServiceItemDefinition Build(Spec s)
    {
        var immediate = s.Promised == 0;
        List<Material> materials = [Form, IdCard, .. s.Extra, Proxy];
        var handle = immediate ? 0 : Math.Max(1, s.Promised / 2);
        var review = immediate ? 0 : (s.Promised - handle) / 2;
        IReadOnlyList<ApprovalStep> steps = immediate
            ? [new ApprovalStep("办理", s.Department, 0)]
            : [new ApprovalStep("承办", s.Department, handle), new ApprovalStep("审核", s.Department, review), new ApprovalStep("决定", s.Department, s.Promised - handle - review)];
        return new ServiceItemDefinition(
            $"{s.Code[..6]}{s.Type}", $"361130-{s.Code}", s.Name, s.Type, s.Category, s.Accept, s.Decide, s.Agent,
            immediate ? Domain.Catalogue.CaseKind.Immediate : Domain.Catalogue.CaseKind.Promised,
            s.Statutory == 0 && immediate ? 0 : Math.Max(s.Statutory, s.Promised), s.Promised, materials, [s.Department], steps, s.Fee, s.Basis);
    }
}
