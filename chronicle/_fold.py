"""Folding text for matching: case, width and traditional/simplified script.

``fold(text)`` is what names and search text are compared by: Unicode NFKC (full-width
letters and digits become ASCII, compatibility forms their plain ones), then case
folding, then a small built-in table that writes 661 common traditional Chinese
characters in their simplified form (雲 → 云, 華 → 华, 訊 → 讯, 臺 → 台, ...). The
table is deliberately small -- the characters of company, product and news text -- and
maps many to one, so folding can only make more things match, never fewer.

>>> fold("ＢＡＩＤＵ ２０２３")
'baidu 2023'
>>> fold("百度智能雲") == fold("百度智能云")
True
"""

from __future__ import annotations

__all__ = ["fold", "fold_text"]

import unicodedata
from functools import lru_cache

_TRADITIONAL = (
    "萬與專業東絲兩嚴喪個豐臨為麗舉義烏樂喬習鄉書買亂爭於虧雲亞產畝親億僅從侖倉儀們價"
    "眾優會傘偉傳傷倫偽體餘傭僉俠侶僥偵側僑儈儕儂俁儔儼倆儷儉債傾償儲兒兌黨蘭關興茲養"
    "獸內岡冊寫軍農馮衝決況凍淨涼減湊凜幾鳳憑凱擊鑿芻劃劉則剛創刪別剎劑剮劍剝劇勸辦務"
    "動勵勁勞勢勳勻匯區醫華協單賣盧衛卻廠廳歷厲壓厭廁廂廈廚縣參雙發變敘疊葉號嘆嘰嚇呂"
    "嗎啟吳員聽團園圍國圖圓聖場壞塊堅壇壩墳墜壟壘墾執報壺處備復夠頭誇夾奪奮獎婦媽嬌孫"
    "學實寧寶審憲宮寬賓對尋導壽將爾塵嘗屬層屢歲島嶺幣師帳帶幫幹廣慶廬庫應廢開異棄張彎"
    "彈強歸當錄後徹徑憶懷態總戀懇惡悶驚慘慣戰戲戶擁擔擬擇掛據擴掃揚換損搖攜擺攝擠敵數"
    "齊斷無舊時曠晝顯晉曉暫曆術機殺雜權條來楊極構槍標樣檔橋檢樓歡歐殘毀氣漢湯溝沒滬淚"
    "潔灑濃濤潤漲測濟滅燈災爐點煉煙熱爺牆狀獨獲環現瑪瓊電畫暢療盤監蓋盜睜矯確礦碼禮禍"
    "離種積稱窮競筆築簡節範紀約紅級紙納純線練組細終經結給絡統績維網緒編緣縮織繼續纖罰"
    "聯聲職腦膽臉艦藝藥萊蘇蘋虛螢蟲補裝製見規視覺覽觀計訂認討讓訓記講許論設訪證評識詞"
    "試詩話該詳語誤說請讀課調談謝議護讚貝負財責貨質販貧購貿費資賺賽贏趕趨躍車軌軟轉輪"
    "輕載輸辭邊遠運過達遷選還這進遊郵鄭釋針鈔錢鐵鋼錯鍵鎮長門閃閉問間閱闊陽陰陣際陸隊"
    "階隱難雞霧靈靜韓頁項順須預領題顏額類顧風飛飯館馬駕驗騰髮鬥魚鮮鳥鳴麥黃齒龍龜訊聞"
    "訴裡著臺颱週準貓錶鐘鬆麵乾捨穀醜隻嚮遲屆衆啓綫橫滿漁潛濱熾燒營獻礎穩籌簽綜緊罷聰"
    "腳艱薦藍蘊蝦蠶複襲覇觸譯豈豬賬賴賀賦贈跡蹤軸較遞遺鄰醞釀鉛銀銷鋒鎖鏈鑰閣闆闡隨險"
    "雖韋響頓頻顆願颺飄飲飽饋駐驅骯鬧鷹鹽麼黴龐"
)
_SIMPLIFIED = (
    "万与专业东丝两严丧个丰临为丽举义乌乐乔习乡书买乱争于亏云亚产亩亲亿仅从仑仓仪们价"
    "众优会伞伟传伤伦伪体余佣佥侠侣侥侦侧侨侩侪侬俣俦俨俩俪俭债倾偿储儿兑党兰关兴兹养"
    "兽内冈册写军农冯冲决况冻净凉减凑凛几凤凭凯击凿刍划刘则刚创删别刹剂剐剑剥剧劝办务"
    "动励劲劳势勋匀汇区医华协单卖卢卫却厂厅历厉压厌厕厢厦厨县参双发变叙叠叶号叹叽吓吕"
    "吗启吴员听团园围国图圆圣场坏块坚坛坝坟坠垄垒垦执报壶处备复够头夸夹夺奋奖妇妈娇孙"
    "学实宁宝审宪宫宽宾对寻导寿将尔尘尝属层屡岁岛岭币师帐带帮干广庆庐库应废开异弃张弯"
    "弹强归当录后彻径忆怀态总恋恳恶闷惊惨惯战戏户拥担拟择挂据扩扫扬换损摇携摆摄挤敌数"
    "齐断无旧时旷昼显晋晓暂历术机杀杂权条来杨极构枪标样档桥检楼欢欧残毁气汉汤沟没沪泪"
    "洁洒浓涛润涨测济灭灯灾炉点炼烟热爷墙状独获环现玛琼电画畅疗盘监盖盗睁矫确矿码礼祸"
    "离种积称穷竞笔筑简节范纪约红级纸纳纯线练组细终经结给络统绩维网绪编缘缩织继续纤罚"
    "联声职脑胆脸舰艺药莱苏苹虚萤虫补装制见规视觉览观计订认讨让训记讲许论设访证评识词"
    "试诗话该详语误说请读课调谈谢议护赞贝负财责货质贩贫购贸费资赚赛赢赶趋跃车轨软转轮"
    "轻载输辞边远运过达迁选还这进游邮郑释针钞钱铁钢错键镇长门闪闭问间阅阔阳阴阵际陆队"
    "阶隐难鸡雾灵静韩页项顺须预领题颜额类顾风飞饭馆马驾验腾发斗鱼鲜鸟鸣麦黄齿龙龟讯闻"
    "诉里着台台周准猫表钟松面干舍谷丑只向迟届众启线横满渔潜滨炽烧营献础稳筹签综紧罢聪"
    "脚艰荐蓝蕴虾蚕复袭霸触译岂猪账赖贺赋赠迹踪轴较递遗邻酝酿铅银销锋锁链钥阁板阐随险"
    "虽韦响顿频颗愿扬飘饮饱馈驻驱肮闹鹰盐么霉庞"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold_text(text: str) -> str:
    """``text`` as compared for matching: NFKC, case-folded, simplified script."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_TO_SIMPLIFIED)


fold = lru_cache(maxsize=65536)(fold_text)
"""``fold_text``, remembered: for names, which repeat."""
