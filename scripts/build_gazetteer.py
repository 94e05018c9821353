"""Writes corpus/gazetteer/gazetteer.tsv from the lists below (the project's own data).

Run: python scripts/build_gazetteer.py. Rows: name, english, type, aliases ('|'-separated).
Keep the lists here and regenerate, so review stays readable.
"""

from pathlib import Path

ORG = """
亚马逊|Amazon|Amazon|亚马逊公司|Amazon.com
TikTok|TikTok|抖音国际版|Tik Tok
TikTok Shop|TikTok Shop|TikTok小店|TikTok商城
抖音|Douyin|Douyin
字节跳动|ByteDance|ByteDance|字节|Bytedance
阿里巴巴|Alibaba|Alibaba|阿里|阿里巴巴集团|Alibaba Group
淘宝|Taobao|Taobao
天猫|Tmall|Tmall
天猫国际|Tmall Global
速卖通|AliExpress|AliExpress|全球速卖通
菜鸟|Cainiao|Cainiao|菜鸟网络
蚂蚁集团|Ant Group|Ant Group|蚂蚁金服
支付宝|Alipay|Alipay
Lazada|Lazada|来赞达
阿里云|Alibaba Cloud
拼多多|Pinduoduo|Pinduoduo|PDD|PDD Holdings
Temu|Temu|特木
希音|SHEIN|SHEIN|Shein
京东|JD.com|JD|京东集团|JD.ID
腾讯|Tencent|Tencent|腾讯公司|腾讯控股
微信|WeChat|WeChat|Wechat
微信支付|WeChat Pay|Wechat Pay|WeChat Pay
快手|Kuaishou|Kuaishou
美团|Meituan|Meituan
小红书|Xiaohongshu|RED|Xiaohongshu
微博|Weibo|Weibo|新浪微博
唯品会|Vipshop|Vipshop
得物|Dewu|Poizon|Dewu
闲鱼|Xianyu|Xianyu
转转|Zhuanzhuan
红布林|Plum|Plum
百度|Baidu|Baidu
网易|NetEase|NetEase
小米|Xiaomi|Xiaomi|小米集团
华为|Huawei|Huawei
荣耀|Honor|Honor
传音|Transsion|Transsion|传音控股
大疆|DJI|DJI
比亚迪|BYD|BYD
宁德时代|CATL|CATL
蔚来|NIO|NIO
小鹏汽车|XPeng|小鹏|XPeng
理想汽车|Li Auto|Li Auto
联想|Lenovo|Lenovo
海尔|Haier|Haier
美的|Midea|Midea
安克创新|Anker Innovations|Anker|安克
名创优品|Miniso|MINISO|Miniso
泡泡玛特|Pop Mart|POP MART
蜜雪冰城|Mixue
喜茶|Heytea|HEYTEA
完美日记|Perfect Diary
花西子|Florasis
安踏|Anta|ANTA
李宁|Li-Ning|Li Ning
波司登|Bosideng
Shopee|Shopee|虾皮|Shopee Pay|ShopeePay
Sea|Sea Limited|SEA|冬海集团|Sea Ltd
Tokopedia|Tokopedia
Bukalapak|Bukalapak|Bakalapak
Tiki|Tiki
Pomelo|Pomelo
Zalora|Zalora
美客多|Mercado Libre|Mercado Libre
沃尔玛|Walmart|Walmart
塔吉特|Target|Target
好市多|Costco|Costco
易贝|eBay|eBay
Etsy|Etsy
Depop|Depop
Wish|Wish
新蛋|Newegg|Newegg
乐天|Rakuten|Rakuten
Mercari|Mercari
ThredUp|ThredUp|thredUP
The RealReal|The RealReal|RealReal
StockX|StockX
Poshmark|Poshmark
Vinted|Vinted
Vestiaire Collective|Vestiaire Collective
Statista|Statista
WooCommerce|WooCommerce|Woo Commerce
Shopify|Shopify
店匠|Shoplazza|Shoplazza
有赞|Youzan|Youzan
微盟|Weimob|Weimob
谷歌|Google|Google
脸书|Facebook|Facebook|Meta|Facebook Messenger
照片墙|Instagram|Instagram
油管|YouTube|YouTube|Youtube
推特|Twitter|Twitter
WhatsApp|WhatsApp
Snapchat|Snapchat
Pinterest|Pinterest
网飞|Netflix|Netflix
苹果公司|Apple|Apple|苹果
微软|Microsoft|Microsoft
英伟达|Nvidia|NVIDIA|Nvidia
特斯拉|Tesla|Tesla
贝宝|PayPal|PayPal
万里汇|WorldFirst|WorldFirst
连连支付|LianLian Pay|连连|LianLian
派安盈|Payoneer|Payoneer
空中云汇|Airwallex|Airwallex
Stripe|Stripe
Klarna|Klarna
OVO|OVO
Dana|DANA|DANA
LinkAja|LinkAja
GoTo|GoTo|Gojek
Grab|Grab
ZaloPay|ZaloPay
PayMaya|PayMaya
TrueMoney|TrueMoney
极兔|J&T Express|极兔速递|J&T
顺丰|SF Express|顺丰速运|SF Express
中通|ZTO Express|中通快递
圆通|YTO Express|圆通速递
联邦快递|FedEx|FedEx
联合包裹|UPS|UPS
敦豪|DHL|DHL
递四方|4PX|4PX
万邑通|Winit|WINIT
燕文|Yanwen|燕文物流
云途|YunExpress|云途物流
赛维时代|Sailvan Times|赛维
华凯易佰|Huakai Yibai|易佰
有棵树|Youkeshu
通拓|Tomtop
泽宝|Sunvalley|Sunvalley
致欧|Songmics Home|致欧科技
绿联|Ugreen|UGREEN
峰瑞资本|FreesFund|FreesFund
BAI Capital|BAI Capital|BAI
IDG资本|IDG Capital|IDG Capital|IDG
红杉中国|HongShan|红杉资本中国|Sequoia China|HongShan
红杉资本|Sequoia Capital|Sequoia Capital|红杉
高瓴资本|Hillhouse Capital|高瓴|Hillhouse
今日资本|Capital Today
经纬创投|Matrix Partners China|经纬中国
源码资本|Source Code Capital
真格基金|ZhenFund
创新工场|Sinovation Ventures
启明创投|Qiming Venture Partners
软银|SoftBank|SoftBank|软银集团
老虎环球基金|Tiger Global|Tiger Global
泛大西洋资本|General Atlantic|General Atlantic|泛大西洋
高盛|Goldman Sachs|Goldman Sachs
摩根士丹利|Morgan Stanley|大摩
摩根大通|JPMorgan Chase|JPMorgan|小摩
德勤|Deloitte|Deloitte
普华永道|PwC|PwC
麦肯锡|McKinsey|McKinsey
艾瑞咨询|iResearch|艾瑞
Momentum Works|Momentum Works
Sensor Tower|Sensor Tower|SensorTower
ZARA|Zara|Zara|飒拉
H&M|H&M
优衣库|Uniqlo|UNIQLO
耐克|Nike|Nike
阿迪达斯|Adidas|adidas
路易威登|Louis Vuitton|LV
香奈儿|Chanel|Chanel
爱马仕|Hermès|Hermes
古驰|Gucci|Gucci
普拉达|Prada|Prada
36氪|36Kr|36kr|36Kr
亿邦动力|Ebrun|亿邦
雨果网|Cifnews|雨果跨境
TT123|TT123|TT123跨境电商
开菠萝财经|Kaiboluo Caijing
新华社|Xinhua News Agency|Xinhua
新华网|Xinhuanet|Xinhua Net
中新社|China News Service|中国新闻社
中新网|Chinanews.com|中国新闻网
人民日报|People's Daily
经济日报|Economic Daily
文汇报|Wenhui Daily
第一财经|Yicai
财新|Caixin
国务院|State Council|中华人民共和国国务院
商务部|Ministry of Commerce|中国商务部
海关总署|General Administration of Customs
国家统计局|National Bureau of Statistics|统计局
国家发展改革委|National Development and Reform Commission|国家发改委|发改委
国家信息中心|State Information Center
工业和信息化部|Ministry of Industry and Information Technology|工信部
国家市场监督管理总局|State Administration for Market Regulation|市场监管总局
中国人民银行|People's Bank of China|央行|人民银行
中国证监会|China Securities Regulatory Commission|证监会
中共中央|Central Committee of the Communist Party of China|党中央
中国共产党|Communist Party of China|中共
全国人大|National People's Congress|全国人民代表大会
全国政协|CPPCC National Committee|中国人民政治协商会议全国委员会
美联储|Federal Reserve|Federal Reserve|美国联邦储备委员会
联邦贸易委员会|Federal Trade Commission|FTC|美国联邦贸易委员会
美国商务部|US Department of Commerce
欧盟委员会|European Commission|欧委会
欧盟|European Union|EU|欧洲联盟
亚太经合组织|APEC|APEC|亚太经济合作组织
世界贸易组织|World Trade Organization|WTO|世贸组织
国际货币基金组织|International Monetary Fund|IMF
世界银行|World Bank
联合国|United Nations|UN
东盟|ASEAN|ASEAN|东南亚国家联盟
RCEP|RCEP|区域全面经济伙伴关系协定
进博会|China International Import Expo|中国国际进口博览会|进口博览会
广交会|Canton Fair|中国进出口商品交易会
上海国际电影节|Shanghai International Film Festival
梅赛德斯-奔驰文化中心|Mercedes-Benz Arena|梅奔文化中心
Bigo Live|Bigo Live|Bigo
Lark|Lark|飞书
Resso|Resso
"""

PERSON = """
周受资|Shou Zi Chew|Shou Zi Chew
张一鸣|Zhang Yiming
梁汝波|Liang Rubo
马云|Jack Ma|Jack Ma
张勇|Daniel Zhang
蔡崇信|Joe Tsai
吴泳铭|Eddie Wu
蒋凡|Jiang Fan
戴珊|Dai Shan
黄峥|Colin Huang
陈磊|Chen Lei
许仰天|Xu Yangtian|Chris Xu
刘强东|Richard Liu
徐雷|Xu Lei
马化腾|Pony Ma|Pony Ma
张小龙|Allen Zhang
雷军|Lei Jun
任正非|Ren Zhengfei
王兴|Wang Xing
宿华|Su Hua
程一笑|Cheng Yixiao
丁磊|William Ding
李彦宏|Robin Li
王传福|Wang Chuanfu
何小鹏|He Xiaopeng
李斌|William Li
李想|Li Xiang
李小冬|Forrest Li|Forrest Li
黄仁勋|Jensen Huang|Jensen Huang
孙正义|Masayoshi Son
杰夫·贝索斯|Jeff Bezos|贝索斯|Jeff Bezos
安迪·贾西|Andy Jassy|贾西|Andy Jassy
埃隆·马斯克|Elon Musk|马斯克|Elon Musk
蒂姆·库克|Tim Cook|库克|Tim Cook
马克·扎克伯格|Mark Zuckerberg|扎克伯格|Mark Zuckerberg
拜登|Joe Biden|乔·拜登
特朗普|Donald Trump|唐纳德·特朗普
习近平|Xi Jinping
李强|Li Qiang
李克强|Li Keqiang
王文涛|Wang Wentao
李佳琦|Li Jiaqi|Austin Li
薇娅|Viya
罗永浩|Luo Yonghao
董明珠|Dong Mingzhu
邓小平|Deng Xiaoping
毛泽东|Mao Zedong
周恩来|Zhou Enlai
孙中山|Sun Yat-sen|孙逸仙
江泽民|Jiang Zemin
胡锦涛|Hu Jintao
朱镕基|Zhu Rongji
温家宝|Wen Jiabao
李鹏|Li Peng
马克思|Karl Marx
恩格斯|Friedrich Engels
列宁|Vladimir Lenin
比尔·克林顿|Bill Clinton|克林顿
奥巴马|Barack Obama|巴拉克·奥巴马
叶利钦|Boris Yeltsin
普京|Vladimir Putin|弗拉基米尔·普京
默克尔|Angela Merkel
马克龙|Emmanuel Macron
岸田文雄|Fumio Kishida
"""

COUNTRIES = """
中国|China|中华人民共和国|PRC
美国|United States|美利坚合众国|US|USA|U.S.
英国|United Kingdom|UK|U.K.|大不列颠
日本|Japan
韩国|South Korea|大韩民国
朝鲜|North Korea
印度|India
印度尼西亚|Indonesia|印尼
马来西亚|Malaysia|马来
泰国|Thailand
越南|Vietnam
菲律宾|Philippines
新加坡|Singapore
柬埔寨|Cambodia
缅甸|Myanmar
老挝|Laos
文莱|Brunei
东帝汶|Timor-Leste
巴基斯坦|Pakistan
孟加拉国|Bangladesh|孟加拉
斯里兰卡|Sri Lanka
尼泊尔|Nepal
哈萨克斯坦|Kazakhstan
乌兹别克斯坦|Uzbekistan
蒙古|Mongolia|蒙古国
俄罗斯|Russia|俄|俄罗斯联邦
乌克兰|Ukraine
白俄罗斯|Belarus
波兰|Poland
德国|Germany
法国|France
意大利|Italy
西班牙|Spain
葡萄牙|Portugal
荷兰|Netherlands
比利时|Belgium
卢森堡|Luxembourg
瑞士|Switzerland
奥地利|Austria
瑞典|Sweden
挪威|Norway
丹麦|Denmark
芬兰|Finland
冰岛|Iceland
爱尔兰|Ireland
希腊|Greece
捷克|Czech Republic
匈牙利|Hungary
罗马尼亚|Romania
保加利亚|Bulgaria
塞尔维亚|Serbia
克罗地亚|Croatia
土耳其|Turkey|土耳其共和国
以色列|Israel
沙特阿拉伯|Saudi Arabia|沙特
阿联酋|United Arab Emirates|阿拉伯联合酋长国|UAE
卡塔尔|Qatar
科威特|Kuwait
伊朗|Iran
伊拉克|Iraq
埃及|Egypt
南非|South Africa
尼日利亚|Nigeria
肯尼亚|Kenya
埃塞俄比亚|Ethiopia
摩洛哥|Morocco
加纳|Ghana
加拿大|Canada
墨西哥|Mexico
巴西|Brazil
阿根廷|Argentina
智利|Chile
哥伦比亚|Colombia
秘鲁|Peru
委内瑞拉|Venezuela
古巴|Cuba
澳大利亚|Australia|澳洲
新西兰|New Zealand
巴布亚新几内亚|Papua New Guinea
斐济|Fiji
"""

US_STATES = """
亚拉巴马州|Alabama|阿拉巴马州
阿拉斯加州|Alaska
亚利桑那州|Arizona
阿肯色州|Arkansas
加利福尼亚州|California|加州
科罗拉多州|Colorado
康涅狄格州|Connecticut
特拉华州|Delaware
佛罗里达州|Florida
佐治亚州|Georgia
夏威夷州|Hawaii|夏威夷
爱达荷州|Idaho
伊利诺伊州|Illinois
印第安纳州|Indiana
艾奥瓦州|Iowa|爱荷华州
堪萨斯州|Kansas
肯塔基州|Kentucky
路易斯安那州|Louisiana
缅因州|Maine
马里兰州|Maryland
马萨诸塞州|Massachusetts|麻省|麻萨诸塞州
密歇根州|Michigan|密西根州
明尼苏达州|Minnesota
密西西比州|Mississippi
密苏里州|Missouri
蒙大拿州|Montana
内布拉斯加州|Nebraska
内华达州|Nevada
新罕布什尔州|New Hampshire
新泽西州|New Jersey
新墨西哥州|New Mexico
纽约州|New York State
北卡罗来纳州|North Carolina|北卡
北达科他州|North Dakota
俄亥俄州|Ohio
俄克拉何马州|Oklahoma|俄克拉荷马州
俄勒冈州|Oregon
宾夕法尼亚州|Pennsylvania|宾州
罗得岛州|Rhode Island
南卡罗来纳州|South Carolina|南卡
南达科他州|South Dakota
田纳西州|Tennessee
得克萨斯州|Texas|德克萨斯州|德州
犹他州|Utah
佛蒙特州|Vermont
弗吉尼亚州|Virginia
华盛顿州|Washington State
西弗吉尼亚州|West Virginia
威斯康星州|Wisconsin
怀俄明州|Wyoming
"""

PROVINCES = """
北京|Beijing|北京市
上海|Shanghai|上海市
天津|Tianjin|天津市
重庆|Chongqing|重庆市
河北省|Hebei|河北
山西省|Shanxi|山西
辽宁省|Liaoning|辽宁
吉林省|Jilin Province|吉林
黑龙江省|Heilongjiang|黑龙江
江苏省|Jiangsu|江苏
浙江省|Zhejiang|浙江
安徽省|Anhui|安徽
福建省|Fujian|福建
江西省|Jiangxi|江西
山东省|Shandong|山东
河南省|Henan|河南
湖北省|Hubei|湖北
湖南省|Hunan|湖南
广东省|Guangdong|广东
海南省|Hainan|海南
四川省|Sichuan|四川
贵州省|Guizhou|贵州
云南省|Yunnan|云南
陕西省|Shaanxi|陕西
甘肃省|Gansu|甘肃
青海省|Qinghai|青海
台湾|Taiwan|台湾省|台湾地区
内蒙古自治区|Inner Mongolia|内蒙古
广西壮族自治区|Guangxi|广西
西藏自治区|Tibet|西藏
宁夏回族自治区|Ningxia|宁夏
新疆维吾尔自治区|Xinjiang|新疆
香港|Hong Kong|香港特别行政区|香港特区
澳门|Macao|澳门特别行政区|Macau
"""

CITIES = """
深圳|Shenzhen|深圳市
广州|Guangzhou|广州市
杭州|Hangzhou|杭州市
南京|Nanjing|南京市
苏州|Suzhou|苏州市
宁波|Ningbo|宁波市
义乌|Yiwu|义乌市
温州|Wenzhou
厦门|Xiamen|厦门市
福州|Fuzhou
东莞|Dongguan|东莞市
佛山|Foshan|佛山市
珠海|Zhuhai
成都|Chengdu|成都市
武汉|Wuhan|武汉市
长沙|Changsha|长沙市
郑州|Zhengzhou|郑州市
西安|Xi'an|西安市
青岛|Qingdao|青岛市
济南|Jinan
大连|Dalian
沈阳|Shenyang
哈尔滨|Harbin
昆明|Kunming
南宁|Nanning
合肥|Hefei
南昌|Nanchang
石家庄|Shijiazhuang
太原|Taiyuan
乌鲁木齐|Urumqi
拉萨|Lhasa
兰州|Lanzhou
贵阳|Guiyang
海口|Haikou
三亚|Sanya
无锡|Wuxi
常州|Changzhou
金华|Jinhua
泉州|Quanzhou
浦东新区|Pudong New Area|浦东|上海浦东
雄安新区|Xiong'an New Area|雄安
纽约|New York|纽约市
洛杉矶|Los Angeles
旧金山|San Francisco|三藩市
西雅图|Seattle
芝加哥|Chicago
华盛顿|Washington|华盛顿特区
伦敦|London
巴黎|Paris
柏林|Berlin
东京|Tokyo
首尔|Seoul
吉隆坡|Kuala Lumpur
雅加达|Jakarta
曼谷|Bangkok
胡志明市|Ho Chi Minh City
河内|Hanoi
马尼拉|Manila
迪拜|Dubai
利雅得|Riyadh
莫斯科|Moscow
悉尼|Sydney
墨尔本|Melbourne
多伦多|Toronto
温哥华|Vancouver
圣保罗|São Paulo
墨西哥城|Mexico City
"""

REGIONS = """
海峡两岸|both sides of the Taiwan Strait|两岸
中国大陆|mainland China|内地|祖国大陆
东南亚|Southeast Asia
北美|North America|北美洲
南美|South America|南美洲
拉美|Latin America|拉丁美洲
欧洲|Europe
西欧|Western Europe
东欧|Eastern Europe
北欧|Nordic countries
中东|Middle East
非洲|Africa
亚洲|Asia
东亚|East Asia
南亚|South Asia
中亚|Central Asia
亚太|Asia-Pacific
欧美|Europe and North America
长三角|Yangtze River Delta|长江三角洲
珠三角|Pearl River Delta|珠江三角洲
粤港澳大湾区|Guangdong-Hong Kong-Macao Greater Bay Area|大湾区
华南|South China
华东|East China
华北|North China
江浙|Jiangsu and Zhejiang|江浙沪
"""

PRODUCT = """
iPhone|iPhone
iPad|iPad
ChatGPT|ChatGPT
微信小程序|WeChat Mini Programs|小程序
"""

SECTIONS = [
    ("ORG", ORG),
    ("PRODUCT", PRODUCT),
    ("PERSON", PERSON),
    ("GPE", COUNTRIES),
    ("GPE", US_STATES),
    ("GPE", PROVINCES),
    ("GPE", CITIES),
    ("LOC", REGIONS),
]


def main() -> None:
    rows = ["name\tenglish\ttype\taliases"]
    seen: set[str] = set()
    for etype, block in SECTIONS:
        for line in block.strip().splitlines():
            name, english, *aliases = [part.strip() for part in line.split("|")]
            if name in seen:
                raise SystemExit(f"duplicate gazetteer name: {name}")
            seen.add(name)
            aliases = [a for a in dict.fromkeys(aliases) if a and a != name]
            rows.append(f"{name}\t{english}\t{etype}\t{'|'.join(aliases)}")
    out = Path(__file__).resolve().parent.parent / "corpus" / "gazetteer" / "gazetteer.tsv"
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# newsbrief gazetteer, written by the project: canonical name, English name, type, aliases.\n"
        "# Generated by scripts/build_gazetteer.py; edit the lists there.\n"
    )
    out.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} entries -> {out}")


if __name__ == "__main__":
    main()
