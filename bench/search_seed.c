/*
 * bench_search_seed DATA_DIR N — N synthetic published items for the search benchmark
 * (bench/run.sh), written straight through the catalog's write functions (internal.h), index
 * included, in writes of BATCH items: no HTTP, no audit entries, so that 100,000 items load in
 * minutes. The names are built like real implementation lists split theirs — a place, a real
 * item name, a variant (延续, 变更, 告知承诺制 …) — and the guide text from real-looking
 * sentences, so the bigrams are spread as in a real catalog: a few very common (登记, 许可, 申请),
 * most rare. Popularity is skewed (a few items asked for a lot). Use `yiwang demo --scale N`
 * instead once it is there; this exists so the search figure does not wait for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "store/store.h"

#define BATCH 500

static const char *const places[] = {
	"宿州市", "埇桥区", "砀山县", "萧县", "灵璧县", "泗县", "符离镇", "夹沟镇", "朱仙庄镇", "栏杆镇",
	"大店镇", "曹村镇", "褚兰镇", "蒿沟镇", "大泽乡镇", "顺河乡", "桃园镇", "灰古镇", "解集乡",
	"杨庄乡", "北杨寨乡", "永安镇", "庄里镇", "永堌镇", "尹集镇", "草庙镇", "西二铺乡", "芦岭镇",
};
static const char *const divisions[] = { "341300", "341302", "341321", "341322", "341323", "341324" };

static const struct {
	const char *name, *alias;
} subjects[] = {
	{ "户口迁移", "户籍迁移" }, { "户口登记", NULL }, { "社会保险登记", "社保登记" },
	{ "住房公积金提取", "公积金提取" }, { "营业执照办理", NULL }, { "食品经营许可证核发", "食品经营许可" },
	{ "建筑工程施工许可证核发", "施工许可" }, { "娱乐场所经营许可", NULL }, { "高龄津贴发放", NULL },
	{ "居住证签注", NULL }, { "出生医学证明办理", NULL }, { "结婚登记", NULL }, { "离婚登记", NULL },
	{ "不动产登记", "房产证办理" }, { "机动车驾驶证换证", "驾照换证" }, { "道路运输经营许可", NULL },
	{ "医疗机构执业登记", NULL }, { "药品经营许可", NULL }, { "城乡居民基本养老保险参保登记", "养老保险参保" },
	{ "失业保险金申领", NULL }, { "最低生活保障审批", "低保审批" }, { "残疾人证办理", NULL },
	{ "退役军人优待证办理", NULL }, { "居民身份证换领", "身份证换领" }, { "普通护照签发", NULL },
	{ "往来港澳通行证办理", NULL }, { "发票领用", NULL }, { "个体工商户注册登记", NULL },
	{ "企业名称登记", NULL }, { "排污许可证核发", NULL }, { "取水许可", NULL }, { "林木采伐许可证核发", NULL },
	{ "烟草专卖零售许可证核发", NULL }, { "公共场所卫生许可", NULL }, { "教师资格认定", NULL },
	{ "民办学校设立审批", NULL }, { "学生资助申请", NULL }, { "义务教育入学登记", NULL },
	{ "医师执业注册", NULL }, { "护士执业注册", NULL }, { "危险化学品经营许可", NULL },
	{ "特种设备使用登记", NULL }, { "房屋建筑和市政基础设施工程竣工验收备案", NULL },
	{ "建设工程规划许可证核发", NULL }, { "建设用地规划许可证核发", NULL }, { "消防设计审查", NULL },
	{ "职工退休审批", NULL }, { "工伤认定", NULL }, { "劳动能力鉴定", NULL }, { "生育保险待遇核准", NULL },
	{ "异地就医备案", NULL }, { "殡葬补贴申领", NULL }, { "法律援助申请", NULL }, { "社会团体成立登记", NULL },
	{ "民办非企业单位登记", NULL }, { "农村宅基地审批", NULL }, { "农药经营许可", NULL },
	{ "兽药经营许可", NULL }, { "动物防疫条件合格证核发", NULL }, { "种子生产经营许可", NULL },
	{ "粮食收购资格认定", NULL }, { "广播电视节目制作经营许可", NULL }, { "出版物零售许可", NULL },
	{ "旅行社设立许可", NULL }, { "计量器具型式批准", NULL }, { "户外广告设置许可", NULL },
	{ "城市道路挖掘许可", NULL }, { "燃气经营许可", NULL }, { "供热经营许可", NULL },
	{ "临时救助审批", NULL }, { "特困人员认定", NULL }, { "门诊慢特病待遇认定", NULL },
	{ "新生儿参保登记", NULL }, { "税务登记", NULL }, { "增值税专用发票代开", NULL },
};
static const char *const ways[] = {
	"告知承诺制", "延续", "变更", "注销", "补证", "换证", "首次申请", "网上办理", "容缺受理", "跨省通办",
	"分支机构", "个人", "企业", "农村地区", "城镇地区", "港澳台居民", "外籍人员", "军人军属",
	"老年人绿色通道", "残疾人帮办", "预约办理", "邮寄送达", "自助终端", "即来即办",
};
static const char *const conditions[] = {
	"申请人应当具备法定条件，提交的申请材料齐全、符合法定形式",
	"申请人须为本辖区常住户口或持有有效居住证的居民",
	"企业已依法取得营业执照，经营场所符合消防安全要求",
	"申请人应当提供身份证、户口簿原件及复印件",
	"参保人员按规定缴纳社会保险费满一年以上",
	"缴存职工购买、建造、翻建自住住房的可以提取住房公积金",
	"符合国家产业政策和环境保护要求，有相应的专业技术人员",
};
static const char *const bases[] = {
	"《中华人民共和国行政许可法》", "《中华人民共和国户口登记条例》", "《社会保险法》",
	"《住房公积金管理条例》", "《市场主体登记管理条例》", "《中华人民共和国食品安全法》",
	"《安徽省政务服务管理办法》",
};

#define N(a) (sizeof a / sizeof a[0])

typedef struct {
	long long from, n;
	yw_ms now;
	yw_arena *a;
} batch;

static yw_err seed_batch(yw_db *tx, void *arg)
{
	batch *b = arg;
	for (long long k = b->from; k < b->from + b->n; k++) {
		yw_arena *a = b->a;
		unsigned long long h = (unsigned long long)k * 2654435761u;
		int s = (int)(h % N(subjects)), w = (int)((h >> 8) % N(ways)), p = (int)((h >> 16) % N(places));
		char basic[32], code[32];
		snprintf(basic, sizeof basic, "3401%05lld%03lld", (10000 + (k - 1) / 1000) % 100000, (k - 1) % 1000);
		const char *why = NULL;
		if (yw_cat_impl_code_make("113413022422071002", 4, basic, code, &why))
			return YW_E_INTERNAL;
		const char *name = yw_sprintf(a, "%s%s（%s）", places[p], subjects[s].name, ways[w]);
		json_t *guide = yw_arena_json(
			a, json_pack("{s:s, s:s, s:s, s:s}", "conditions", conditions[(h >> 24) % N(conditions)],
			             "legal_basis", yw_sprintf(a, "%s第%d条", bases[(h >> 28) % N(bases)], (int)(h % 60) + 1),
			             "place", yw_sprintf(a, "%s政务服务中心%d号窗口", places[p], (int)(h % 40) + 1),
			             "procedure", "申请、受理、审查、决定、送达"));
		json_t *aliases = yw_arena_json(a, json_array());
		if (subjects[s].alias)
			json_array_append_new(aliases, json_string(subjects[s].alias));
		yw_cat_material mats[2] = {
			{ .name = "申请人身份证明", .source = "applicant", .reuse = "always", .originals = 1, .required = true },
			{ .name = yw_sprintf(a, "%s申请表", subjects[s].name), .source = "applicant", .reuse = "never",
			  .originals = 1, .required = true },
		};
		yw_cat_guide g = { .name = name, .item_type = "01", .service_objects = (h & 1) ? "1" : "1,2",
			           .statutory = 20, .promised = 5, .online_depth = 1 + (int)(h % 4),
			           .visits = (int)((h >> 4) % 3), .project_type = 2, .handling_forms = "1,2",
			           .guide = guide, .aliases = aliases, .topics = yw_arena_json(a, json_array()),
			           .business_items = yw_arena_json(a, json_array()), .mats = mats, .nmats = 2 };
		/* A few items asked for a lot, most rarely. */
		long long r = (long long)((h >> 12) % 1000), pop = 1000000 / (1 + r * r / 10);
		yw_cat_item it = { .code = code, .basic_code = basic, .department_id = "bench-dept",
			           .division_code = divisions[(h >> 20) % N(divisions)], .level = 4,
			           .popularity = pop, .current = 1, .latest = 1 };
		bool taken = false;
		long long changed = 0;
		yw_err e = yw_cat_item_insert(tx, a, &it, name, &g, "bench", b->now, &taken);
		if (!e && !taken)
			e = yw_db_exec(tx, "UPDATE catalog_items SET popularity = $2 WHERE code = $1",
			               YW_PARAMS(YW_VTEXT(code), YW_VINT(pop)), NULL);
		if (!e && !taken)
			e = yw_cat_publish_flip(tx, code, 1, b->now, &changed);
		if (!e && !taken)
			e = yw_cat_version_mark_published(tx, code, 1, b->now, "bench");
		yw_cat_version v = { .version = 1, .created_at = b->now, .updated_at = b->now,
			             .published_at = b->now, .created_by = "bench", .g = g };
		if (!e && !taken)
			e = yw_cat_search_index(tx, a, &it, &v);
		if (e)
			return e;
	}
	return YW_E_OK;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_search_seed DATA_DIR N\n");
		return 2;
	}
	long long total = atoll(argv[2]);
	yw_config c;
	yw_config_defaults(&c);
	yw_log_set_level(YW_LOG_WARN);
	snprintf(c.data_dir, sizeof c.data_dir, "%s", argv[1]);
	if (getenv("YW_BENCH_DB"))
		snprintf(c.db, sizeof c.db, "%s", getenv("YW_BENCH_DB"));
	char err[256] = "";
	yw_store *st;
	int applied;
	yw_err e = yw_store_open(&c, &st, err, sizeof err);
	if (!e && (e = yw_store_migrate(st, &applied, err, sizeof err)))
		yw_store_close(st);
	if (e) {
		fprintf(stderr, "bench_search_seed: %s %s\n", yw_err_code(e), err);
		return 1;
	}
	for (long long from = 1; !e && from <= total; from += BATCH) {
		batch b = { .from = from, .n = total - from + 1 < BATCH ? total - from + 1 : BATCH,
			    .now = yw_now_ms(), .a = yw_arena_new(1 << 22) };
		e = b.a ? yw_store_write(st, seed_batch, &b) : YW_E_NO_MEMORY;
		yw_arena_free(b.a);
		if (from % 10000 == 1)
			fprintf(stderr, "bench_search_seed: %lld / %lld\n", from - 1, total);
	}
	if (e)
		fprintf(stderr, "bench_search_seed: %s\n", yw_err_code(e));
	yw_store_close(st);
	return e ? 1 : 0;
}
