"""The synthetic sample content: fact-checks and social-media posts in four delivery formats.

Seeded and bit-for-bit reproducible (numpy's ``default_rng`` only, no clock, fixed order, Excel
with pinned metadata). Built-in patterns to find: Telegram dominates in UZB and TJK, Instagram in
KAZ and KGZ, Facebook in PAK; TikTok items are more often false; health claims peak in winter,
election claims in the two months before each country's (fictional) election day, energy claims
in winter (Central Asia) or summer (Pakistan); some claims are reposted across countries and
scripts. Defects to clean are listed in :data:`README`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from milresearch import storage
from milresearch.clean.scripts import transliterate
from milresearch.ingest.claimreview import COLUMNS
from milresearch.sample.survey import pin_zip

SEED = 2025
TOPICS = ("health", "elections", "prices", "energy", "migration", "scams", "deepfake")
# Claim templates: three per topic, the k-th meaning the same in every language (a claim told in
# several languages); Russian, Uzbek and English have a fourth. {who} is a speaker; numbers are
# {d} (days, months: 5-30), {h} (hours: 5-20), {p} (per cent) or {n} (counts: 5-995).
_CLAIMS = {
    "ru": {
        "health": [
            "{who} утверждает, что чеснок с мёдом излечивает грипп за {d} дней",
            "В больницах закончились места: за неделю заболели {n} тысяч человек",
            "Прививка от кори вызывает бесплодие, это доказали {d} учёных",
            "Горячая вода с содой убивает вирус за {d} минут, врачи это скрывают",
        ],
        "elections": [
            "На избирательных участках раздают по {d} тысяч за голос",
            "{who} сообщил, что выборы перенесли на {d} месяцев",
            "Итоги выборов уже известны, протоколы на {p} процентов готовы",
            "В бюллетенях заранее проставлены галочки, видео снято на {n} участках",
        ],
        "prices": [
            "Со следующего месяца хлеб подорожает на {p} процентов",
            "Правительство повысит тарифы на газ на {p} процентов",
            "Бензин исчезнет с заправок через {d} дней, запасайтесь",
            "Цены на муку вырастут на {p} процентов из-за запрета на импорт",
        ],
        "energy": [
            "Свет отключат на {d} дней из-за аварии на ГЭС",
            "Воду в городе отключат на {d} недель, водохранилище пустое",
            "Зимой электричество будут давать по {h} часов в сутки",
            "Соседняя страна перекрыла реку, воды не будет {d} месяцев",
        ],
        "migration": [
            "Россия закрывает въезд для мигрантов на {d} дней",
            "Для работы в России теперь нужен экзамен из {n} вопросов",
            "Всех мигрантов без патента депортируют за {d} дней",
            "Мигрантам выплатят по {d} тысяч рублей за возвращение домой",
        ],
        "scams": [
            "Банк раздаёт по {n} тысяч всем, кто перейдёт по ссылке",
            "Государство выплачивает по {n} тысяч каждому, заполните анкету на сайте",
            "{who} дарит {n} телефонов подписчикам, нужно только оплатить доставку",
            "Ваша карта заблокирована, отправьте код из СМС, иначе спишут {n} тысяч",
        ],
        "deepfake": [
            "Видео, где {who} объявляет о бесплатном электричестве, оказалось настоящим",
            "На видео {who} призывает вкладывать деньги в криптобиржу с доходом {p} процентов",
            "Аудиозапись: {who} обещает списать кредиты до {n} тысяч",
            "Нейросеть показала, как будет выглядеть город через {d} лет после землетрясения",
        ],
    },
    "kk": {
        "health": [
            "{who} сарымсақ пен бал тұмауды {d} күнде жазады деп мәлімдеді",
            "Ауруханаларда орын қалмады, бір аптада {n} мың адам ауырды",
            "Қызылшаға қарсы екпе бедеулікке әкеледі, оны {d} ғалым дәлелдеді",
        ],
        "elections": [
            "Сайлау учаскелерінде дауыс үшін {d} мың теңгеден таратып жатыр",
            "{who} сайлау {d} айға шегерілді деп хабарлады",
            "Сайлау нәтижесі алдын ала белгілі, хаттамалардың {p} пайызы дайын",
        ],
        "prices": [
            "Келесі айдан бастап нан бағасы {p} пайызға қымбаттайды",
            "Үкімет газ тарифін {p} пайызға көтереді",
            "Жанармай {d} күннен кейін бекеттерде таусылады",
        ],
        "energy": [
            "Су электр станциясындағы апатқа байланысты жарық {d} күнге өшіріледі",
            "Қалада су {d} аптаға өшіріледі, су қоймасы бос",
            "Қыста электр жарығы тәулігіне {h} сағат қана беріледі",
        ],
        "migration": [
            "Ресей мигранттарға шекараны {d} күнге жабады",
            "Ресейде жұмыс істеу үшін енді {n} сұрақтан тұратын емтихан керек",
            "Патенті жоқ барлық мигранттар {d} күнде елден шығарылады",
        ],
        "scams": [
            "Банк сілтемеге өткен әркімге {n} мың теңге береді",
            "Мемлекет әр азаматқа {n} мың теңге төлейді, сайттағы сауалнаманы толтырыңыз",
            "{who} жазылушыларға {n} телефон сыйлайды, тек жеткізу ақысын төлеу керек",
        ],
        "deepfake": [
            "Видеода {who} тегін электр жарығын жариялады, бұл шын видео",
            "Видеода {who} табысы {p} пайыз болатын криптобиржаға ақша салуға шақырады",
            "Аудиожазбада {who} {n} мың теңгеге дейінгі несиелерді кешіретінін айтады",
        ],
    },
    "ky": {
        "health": [
            "{who} сарымсак менен бал сасык тумоону {d} күндө айыктырат деп билдирди",
            "Ооруканаларда орун калган жок, бир жумада {n} миң адам ооруп калды",
            "Кызамыкка каршы эмдөө тукумсуздукка алып келет, муну {d} окумуштуу далилдеди",
        ],
        "elections": [
            "Шайлоо участкаларында добуш үчүн {d} миң сомдон таратып жатышат",
            "{who} шайлоо {d} айга жылдырылды деп билдирди",
            "Шайлоонун жыйынтыгы алдын ала белгилүү, протоколдордун {p} пайызы даяр",
        ],
        "prices": [
            "Кийинки айдан тартып нандын баасы {p} пайызга кымбаттайт",
            "Өкмөт газдын тарифин {p} пайызга көтөрөт",
            "Күйүүчү май {d} күндөн кийин май куюучу жайларда түгөнөт",
        ],
        "energy": [
            "ГЭСтеги кырсыктан улам жарык {d} күнгө өчүрүлөт",
            "Шаарда суу {d} жумага өчүрүлөт, суу сактагыч бош",
            "Кышында электр жарыгы суткасына {h} саат гана берилет",
        ],
        "migration": [
            "Орусия мигранттарга чек араны {d} күнгө жабат",
            "Орусияда иштөө үчүн эми {n} суроодон турган экзамен керек",
            "Патенти жок бардык мигранттар {d} күндө өлкөдөн чыгарылат",
        ],
        "scams": [
            "Банк шилтемеге өткөн ар бир адамга {n} миң сом берет",
            "Мамлекет ар бир жаранга {n} миң сом төлөйт, сайттагы анкетаны толтуруңуз",
            "{who} жазылуучуларга {n} телефон белек кылат, жеткирүү акысын гана төлөө керек",
        ],
        "deepfake": [
            "Видеодо {who} акысыз электр жарыгын жарыялады, бул чыныгы видео",
            "Видеодо {who} {p} пайыз киреше берген криптобиржага акча салууга чакырат",
            "Аудиожазууда {who} {n} миң сомго чейинки насыяларды кечирерин айтат",
        ],
    },
    "uz": {
        "health": [
            "{who} sarimsoq va asal grippni {d} kunda davolaydi deb daʼvo qildi",
            "Kasalxonalarda joy qolmadi, bir haftada {n} ming kishi kasallandi",
            "Qizamiqqa qarshi emlash bepushtlikka olib keladi, buni {d} olim isbotladi",
            "Sogʻliqni saqlash vazirligi vabo tarqalishini yashirmoqda, {n} kishi kasallangan",
        ],
        "elections": [
            "Saylov uchastkalarida har bir ovoz uchun {d} ming soʻmdan tarqatilmoqda",
            "{who} saylovlar {d} oyga qoldirilganini maʼlum qildi",
            "Saylov natijalari oldindan maʼlum, bayonnomalarning {p} foizi tayyor",
            "Byulletenlarga oldindan belgi qoʻyilgan, video {n} ta uchastkada olingan",
        ],
        "prices": [
            "Kelasi oydan boshlab non narxi {p} foizga oshadi",
            "Hukumat gaz tarifini {p} foizga oshiradi",
            "Benzin {d} kundan keyin yoqilgʻi quyish shoxobchalarida tugaydi",
            "Import taqiqlangani sababli un narxi {p} foizga oshadi",
        ],
        "energy": [
            "Elektr stansiyasidagi avariya sababli chiroq {d} kunga oʻchiriladi",
            "Shaharda suv {d} haftaga oʻchiriladi, suv ombori boʻsh",
            "Qishda elektr energiyasi sutkasiga {h} soat beriladi",
            "Qoʻshni davlat daryoni toʻsib qoʻydi, {d} oy suv boʻlmaydi",
        ],
        "migration": [
            "Rossiya migrantlar uchun chegarani {d} kunga yopadi",
            "Rossiyada ishlash uchun endi {n} savoldan iborat imtihon kerak",
            "Patentsiz barcha migrantlar {d} kun ichida deportatsiya qilinadi",
            "Uyga qaytgan migrantlarga {d} ming rubldan toʻlanadi",
        ],
        "scams": [
            "Bank havolaga oʻtgan har bir kishiga {n} ming soʻm beradi",
            "Davlat har bir fuqaroga {n} ming soʻm toʻlaydi, saytdagi anketani toʻldiring",
            "{who} obunachilarga {n} ta telefon sovgʻa qiladi, yetkazib berish haqini toʻlang",
            "Kartangiz bloklandi, SMS koddini yuboring, aks holda {n} ming soʻm yechiladi",
        ],
        "deepfake": [
            "Videoda {who} bepul elektr energiyasini eʼlon qildi, bu haqiqiy video",
            "Videoda {who} {p} foiz daromad beradigan kriptobirjaga pul tikishga chaqirmoqda",
            "Audioyozuvda {who} {n} million soʻmgacha kreditlarni kechirishini aytmoqda",
            "Neyrotarmoq shahar zilziladan {d} yil keyin qanday boʻlishini koʻrsatdi",
        ],
    },
    "tg": {
        "health": [
            "{who} иддао кард, ки сир ва асал зуккомро дар {d} рӯз табобат мекунад",
            "Дар беморхонаҳо ҷой намонд, дар як ҳафта {n} ҳазор нафар бемор шуданд",
            "Ваксинаи сурхча безурётӣ меорад, инро {d} олим исбот кардаанд",
        ],
        "elections": [
            "Дар қитъаҳои интихоботӣ барои ҳар овоз {d} сомонӣ медиҳанд",
            "{who} гуфт, ки интихобот ба {d} моҳ мавқуф гузошта шуд",
            "Натиҷаи интихобот пешакӣ маълум аст, {p} фоизи протоколҳо омода аст",
        ],
        "prices": [
            "Аз моҳи оянда нархи нон {p} фоиз қимат мешавад",
            "Ҳукумат тарифи газро {p} фоиз баланд мекунад",
            "Бензин баъди {d} рӯз дар нуқтаҳои фурӯш тамом мешавад",
        ],
        "energy": [
            "Аз сабаби садама дар нерӯгоҳ барқ ба муддати {d} рӯз қатъ карда мешавад",
            "Дар шаҳр об ба муддати {d} ҳафта қатъ мешавад, обанбор холӣ аст",
            "Дар зимистон барқ дар як шабонарӯз ҳамагӣ {h} соат дода мешавад",
        ],
        "migration": [
            "Русия сарҳадро барои муҳоҷирон ба муддати {d} рӯз мебандад",
            "Барои кор дар Русия акнун имтиҳон аз {n} савол лозим аст",
            "Ҳамаи муҳоҷирони бе патент дар давоми {d} рӯз ихроҷ мешаванд",
        ],
        "scams": [
            "Бонк ба ҳар касе, ки пайвандро пахш кунад, {n} сомонӣ медиҳад",
            "Давлат ба ҳар шаҳрванд {n} сомонӣ медиҳад, анкетаро дар сомона пур кунед",
            "{who} ба обуначиён {n} телефон тӯҳфа мекунад, танҳо пули расониданро супоред",
        ],
        "deepfake": [
            "Дар видео {who} барқи ройгонро эълон кард, ин видеои воқеӣ аст",
            "Дар видео {who} ба криптобиржа бо даромади {p} фоиз пул гузоштанро даъват мекунад",
            "Дар сабти аудиоӣ {who} ваъда медиҳад, ки қарзҳоро то {n} ҳазор сомонӣ мебахшад",
        ],
    },
    "tk": {
        "health": [
            "{who} sarymsak bilen balyň dümewi {d} günde bejerýändigini aýtdy",
            "Hassahanalarda ýer galmady, bir hepdede {n} müň adam kesel boldy",
            "Gyzamyga garşy sanjym önelgesizlige getirýär, muny {d} alym subut etdi",
        ],
        "elections": [
            "Saýlaw uçastoklarynda her ses üçin {d} manat paýlanýar",
            "{who} saýlawlaryň {d} aý yza süýşürilendigini habar berdi",
            "Saýlawyň netijeleri öňünden belli, teswirnamalaryň {p} göterimi taýýar",
        ],
        "prices": [
            "Indiki aýdan başlap çöregiň bahasy {p} göterim gymmatlar",
            "Hökümet gazyň nyrhyny {p} göterim ýokarlandyrar",
            "Benzin {d} günden soň ýangyç guýulýan ýerlerde gutarar",
        ],
        "energy": [
            "Elektrik stansiýasyndaky heläkçilik sebäpli tok {d} günläp öçüriler",
            "Şäherde suw {d} hepde berilmez, suw howdany boş",
            "Gyşda elektrik togy gije-gündizde bary-ýogy {h} sagat beriler",
        ],
        "migration": [
            "Russiýa migrantlar üçin serhedi {d} günläp ýapýar",
            "Russiýada işlemek üçin indi {n} soragdan ybarat synag gerek",
            "Patentsiz ähli migrantlar {d} günüň dowamynda yzyna iberiler",
        ],
        "scams": [
            "Bank salgyda geçen her kime {n} manat berýär",
            "Döwlet her raýata {n} manat töleýär, saýtdaky anketany dolduryň",
            "{who} yzarlaýjylara {n} telefon sowgat berýär, diňe eltip bermek tölegini töläň",
        ],
        "deepfake": [
            "Wideoda {who} mugt elektrik energiýasyny yglan etdi, bu hakyky wideo",
            "Wideoda {who} {p} göterim girdeji berýän kriptobirža pul goýmaga çagyrýar",
            "Audioýazgyda {who} {n} müň manada çenli karzlary öçürjekdigini aýdýar",
        ],
    },
    "en": {
        "health": [
            "{who} claims garlic and honey cure the flu in {d} days",
            "Hospitals are full: {n} thousand people fell ill in one week",
            "Polio drops cause infertility, {d} scientists have confirmed",
            "Drinking hot water with lemon kills the virus in {d} minutes",
        ],
        "elections": [
            "Voters are being paid {d} thousand rupees per vote at polling stations",
            "{who} says the elections have been postponed by {d} months",
            "Election results are already decided, {p} percent of forms are pre-filled",
            "Ballot papers were stamped in advance at {n} polling stations, video shows",
        ],
        "prices": [
            "Flour prices will rise by {p} percent from next month, message claims",
            "Government to raise gas tariffs by {p} percent",
            "Petrol will run out at pumps within {d} days, stock up now",
            "Sugar will cost {p} percent more after the import ban",
        ],
        "energy": [
            "Power cuts of {d} days announced after a dam accident",
            "Water supply will be cut for {d} weeks, the reservoir is empty",
            "Load-shedding of {h} hours a day announced for the whole summer",
            "India has blocked the river, water will not come for {d} months",
        ],
        "migration": [
            "Gulf states to close their borders to migrant workers for {d} days",
            "Working abroad now requires a test of {n} questions",
            "All workers without a permit will be deported within {d} days",
            "Saudi Arabia cancels {d} thousand work visas overnight",
        ],
        "scams": [
            "Bank gives {n} thousand rupees to everyone who clicks this link",
            "Government is paying {n} thousand rupees to every family, register on this website",
            "{who} is giving away {n} phones to followers, just pay for delivery",
            "Your SIM will be blocked in {h} hours unless you send the code",
        ],
        "deepfake": [
            "Video of {who} announcing free electricity is genuine",
            "Video of {who} urging people to invest in a crypto scheme paying {p} percent",
            "Audio clip of {who} promising to write off loans up to {n} thousand rupees",
            "AI picture shows the city {d} years after an earthquake",
        ],
    },
    "ur": {
        "health": [
            "{who} کا دعویٰ ہے کہ لہسن اور شہد {d} دن میں فلو ٹھیک کر دیتے ہیں",
            "ہسپتال بھر گئے، ایک ہفتے میں {n} ہزار لوگ بیمار ہو گئے",
            "پولیو کے قطرے بانجھ پن کا باعث بنتے ہیں، {d} سائنسدانوں نے تصدیق کی",
        ],
        "elections": [
            "پولنگ اسٹیشنوں پر ہر ووٹ کے {d} ہزار روپے دیے جا رہے ہیں",
            "{who} کے مطابق انتخابات {d} ماہ کے لیے ملتوی کر دیے گئے",
            "انتخابی نتائج پہلے سے طے ہیں، {p} فیصد فارم پہلے سے بھرے ہوئے ہیں",
        ],
        "prices": [
            "اگلے مہینے سے آٹے کی قیمت {p} فیصد بڑھ جائے گی",
            "حکومت گیس کے نرخ {p} فیصد بڑھائے گی",
            "پیٹرول {d} دن میں پمپوں سے ختم ہو جائے گا",
        ],
        "energy": [
            "ڈیم حادثے کے بعد {d} دن کے لیے بجلی بند رہے گی",
            "پانی کی فراہمی {d} ہفتوں کے لیے بند ہو گی، ڈیم خالی ہے",
            "پورے موسم گرما میں روزانہ {h} گھنٹے لوڈشیڈنگ ہو گی",
        ],
        "migration": [
            "خلیجی ممالک {d} دن کے لیے غیر ملکی مزدوروں پر سرحدیں بند کر رہے ہیں",
            "بیرون ملک کام کے لیے اب {n} سوالات کا امتحان لازمی ہے",
            "اجازت نامے کے بغیر تمام مزدوروں کو {d} دن میں ملک بدر کر دیا جائے گا",
        ],
        "scams": [
            "بینک اس لنک پر کلک کرنے والے ہر شخص کو {n} ہزار روپے دے رہا ہے",
            "حکومت ہر خاندان کو {n} ہزار روپے دے رہی ہے، اس ویب سائٹ پر رجسٹر کریں",
            "{who} فالوورز کو {n} فون تحفے میں دے رہے ہیں، صرف ڈیلیوری کی رقم ادا کریں",
        ],
        "deepfake": [
            "{who} کی مفت بجلی کا اعلان کرنے والی ویڈیو اصلی ہے",
            "ویڈیو میں {who} {p} فیصد منافع والی کرپٹو اسکیم میں سرمایہ کاری کا کہہ رہے ہیں",
            "آڈیو کلپ میں {who} {n} ہزار روپے تک کے قرضے معاف کرنے کا وعدہ کر رہے ہیں",
        ],
    },
}
_WHO = {
    "ru": [
        "Министр здравоохранения",
        "Известный блогер",
        "Депутат",
        "Врач-инфекционист",
        "Аким города",
        "Президент",
        "Глава Нацбанка",
    ],
    "kk": [
        "Денсаулық сақтау министрі",
        "Белгілі блогер",
        "Депутат",
        "Дәрігер",
        "Қала әкімі",
        "Президент",
    ],
    "ky": [
        "Саламаттык сактоо министри",
        "Белгилүү блогер",
        "Депутат",
        "Дарыгер",
        "Шаардын мэри",
        "Президент",
    ],
    "uz": [
        "Sogʻliqni saqlash vaziri",
        "Taniqli bloger",
        "Deputat",
        "Shifokor",
        "Shahar hokimi",
        "Prezident",
    ],
    "tg": ["Вазири тандурустӣ", "Блогери машҳур", "Вакил", "Духтур", "Раиси шаҳр", "Президент"],
    "tk": [
        "Saglygy goraýyş ministri",
        "Meşhur bloger",
        "Deputat",
        "Lukman",
        "Şäher häkimi",
        "Prezident",
    ],
    "en": [
        "the health minister",
        "a famous blogger",
        "an MNA",
        "a doctor",
        "the chief minister",
        "the prime minister",
    ],
    "ur": [
        "وزیر صحت",
        "ایک مشہور بلاگر",
        "ایک رکن اسمبلی",
        "ایک ڈاکٹر",
        "وزیر اعلیٰ",
        "وزیر اعظم",
    ],
}
# Openings and endings chain messages carry, so that reposts of one claim are not all alike.
_FRAMES = {
    "ru": (
        ["Срочно!", "Внимание:", "Говорят, что", "Перешлите всем:", "Официально:", ""],
        ["Распространите!", "#новости", "Это скрывают!", "Пишут в чатах.", ""],
    ),
    "kk": (
        ["Шұғыл!", "Назар аударыңыз:", "Айтуларынша,", ""],
        ["Таратыңыз!", "#жаңалықтар", "Бұл жасырылып жатыр!", ""],
    ),
    "ky": (
        ["Шашылыш!", "Көңүл буруңуз:", "Айтышкандай,", ""],
        ["Таратыңыз!", "#жаңылыктар", "Бул жашырылууда!", ""],
    ),
    "uz": (
        ["Shoshilinch!", "Diqqat:", "Aytishlaricha,", ""],
        ["Tarqating!", "#yangiliklar", "Buni yashirishmoqda!", ""],
    ),
    "tg": (
        ["Фаврӣ!", "Диққат:", "Мегӯянд, ки", ""],
        ["Паҳн кунед!", "#хабарҳо", "Инро пинҳон мекунанд!", ""],
    ),
    "tk": (
        ["Gyssagly!", "Üns beriň:", "Aýtmaklaryna görä,", ""],
        ["Ýaýradyň!", "#habarlar", "Muny gizleýärler!", ""],
    ),
    "en": (
        ["BREAKING:", "Share this:", "Apparently", "Official:", ""],
        ["Share before deleted!", "#news", "They hide this!", ""],
    ),
    "ur": (["فوری!", "توجہ:", ""], ["شیئر کریں!", "#خبریں", ""]),
}
_COUNTS = tuple(
    n for n in range(5, 1000) if n % 10 in (0, 5, 6, 7, 8, 9) or n % 100 in range(11, 15)
)
_NUMBERS = {
    "d": (*range(5, 21), *range(25, 31)),
    "h": tuple(range(5, 21)),
    "p": (*range(5, 21), 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 150, 200),
    "n": _COUNTS,
}
"""Values of the number slots; all take the genitive plural in Russian (5 дней, 30 тысяч)."""
_PLACES = {
    "KAZ": {
        "ru": [
            "Алматы",
            "Астана",
            "Шымкент",
            "Караганда",
            "Актобе",
            "Тараз",
            "Павлодар",
            "Атырау",
        ],
        "kk": [
            "Алматы",
            "Астана",
            "Шымкент",
            "Қарағанды",
            "Ақтөбе",
            "Тараз",
            "Павлодар",
            "Атырау",
        ],
    },
    "KGZ": {
        "ru": ["Бишкек", "Ош", "Джалал-Абад", "Каракол", "Нарын", "Баткен", "Талас", "Токмок"],
        "ky": ["Бишкек", "Ош", "Жалал-Абад", "Каракол", "Нарын", "Баткен", "Талас", "Токмок"],
    },
    "TJK": {
        "ru": [
            "Душанбе",
            "Худжанд",
            "Бохтар",
            "Куляб",
            "Хорог",
            "Истаравшан",
            "Турсунзаде",
            "Пенджикент",
        ],
        "tg": [
            "Душанбе",
            "Хуҷанд",
            "Бохтар",
            "Кӯлоб",
            "Хоруғ",
            "Истаравшан",
            "Турсунзода",
            "Панҷакент",
        ],
    },
    "TKM": {
        "ru": [
            "Ашхабад",
            "Мары",
            "Туркменабад",
            "Дашогуз",
            "Балканабат",
            "Теджен",
            "Байрамали",
            "Сейди",
        ],
        "tk": [
            "Aşgabat",
            "Mary",
            "Türkmenabat",
            "Daşoguz",
            "Balkanabat",
            "Tejen",
            "Baýramaly",
            "Seýdi",
        ],
    },
    "UZB": {
        "ru": [
            "Ташкент",
            "Самарканд",
            "Фергана",
            "Бухара",
            "Нукус",
            "Андижан",
            "Наманган",
            "Карши",
        ],
        "uz": [
            "Toshkent",
            "Samarqand",
            "Fargʻona",
            "Buxoro",
            "Nukus",
            "Andijon",
            "Namangan",
            "Qarshi",
        ],
    },
    "PAK": {
        "en": [
            "Lahore",
            "Karachi",
            "Islamabad",
            "Peshawar",
            "Quetta",
            "Multan",
            "Faisalabad",
            "Hyderabad",
        ],
        "ur": ["لاہور", "کراچی", "اسلام آباد", "پشاور", "کوئٹہ", "ملتان", "فیصل آباد", "حیدرآباد"],
    },
}
"""Where a claim is about, written at its end in brackets, as regional channels tag posts."""
_LANG_MIX = {
    "KAZ": {"ru": 0.55, "kk": 0.45},
    "KGZ": {"ru": 0.5, "ky": 0.5},
    "TJK": {"tg": 0.65, "ru": 0.35},
    "TKM": {"tk": 0.55, "ru": 0.45},
    "UZB": {"uz": 0.5, "uz-Cyrl": 0.2, "ru": 0.3},
    "PAK": {"en": 0.5, "ur": 0.5},
}
_PLATFORMS = {
    "KAZ": {
        "instagram": 0.34,
        "telegram": 0.16,
        "whatsapp": 0.14,
        "tiktok": 0.14,
        "facebook": 0.06,
        "youtube": 0.06,
        "website": 0.1,
    },
    "KGZ": {
        "instagram": 0.3,
        "whatsapp": 0.2,
        "facebook": 0.14,
        "tiktok": 0.12,
        "telegram": 0.08,
        "odnoklassniki": 0.08,
        "website": 0.08,
    },
    "TJK": {
        "telegram": 0.36,
        "facebook": 0.16,
        "imo": 0.14,
        "instagram": 0.1,
        "tiktok": 0.08,
        "odnoklassniki": 0.08,
        "website": 0.08,
    },
    "TKM": {
        "imo": 0.26,
        "instagram": 0.22,
        "tiktok": 0.12,
        "telegram": 0.12,
        "odnoklassniki": 0.14,
        "website": 0.14,
    },
    "UZB": {
        "telegram": 0.48,
        "instagram": 0.16,
        "tiktok": 0.12,
        "facebook": 0.08,
        "youtube": 0.06,
        "website": 0.1,
    },
    "PAK": {
        "facebook": 0.34,
        "whatsapp": 0.2,
        "youtube": 0.14,
        "tiktok": 0.16,
        "x": 0.1,
        "website": 0.06,
    },
}
_PLATFORM_SPELLINGS = {
    "telegram": ["Telegram", "t.me", "Телеграм", "TG", "telegram channel", "Телеграм-канал"],
    "instagram": ["Instagram", "insta", "Инстаграм", "instagram.com", "IG"],
    "tiktok": ["TikTok", "Тикток", "tik tok", "tiktok.com"],
    "facebook": ["Facebook", "FB", "Фейсбук", "fb.com"],
    "odnoklassniki": ["ok.ru", "Одноклассники", "OK", "ОК"],
    "whatsapp": ["WhatsApp", "Ватсап", "whatsapp group"],
    "youtube": ["YouTube", "youtu.be", "Ютуб"],
    "imo": ["imo", "IMO"],
    "x": ["Twitter", "X", "twitter.com"],
    "website": ["website", "сайт", "news site"],
}
_POST_URLS = {
    "telegram": "https://t.me/{channel}/{id}",
    "instagram": "https://www.instagram.com/p/C{id}/",
    "tiktok": "https://www.tiktok.com/@{channel}/video/7{id}",
    "facebook": "https://www.facebook.com/{channel}/posts/{id}",
    "odnoklassniki": "https://ok.ru/group/5{id}/topic/{id}",
    "whatsapp": "https://chat.whatsapp.com/{id}",
    "youtube": "https://www.youtube.com/watch?v=v{id}",
    "x": "https://x.com/{channel}/status/1{id}",
    "imo": "https://imo.im/{id}",
    "website": "https://news-{channel}.example/{id}",
}
_CHANNELS = (
    "news24",
    "tezkor_xabar",
    "aktual_kz",
    "bishkek_online",
    "dushanbe_today",
    "habarlar_tm",
    "pak_updates",
    "khabar_pk",
    "info_central",
    "narodnye_novosti",
)
_VERDICT_WEIGHTS = {
    "false": 0.42,
    "misleading": 0.24,
    "mixed": 0.1,
    "unproven": 0.1,
    "true": 0.1,
    "satire": 0.04,
}
_VERDICT_LABELS = {
    "false": {
        "ru": ["Фейк", "Ложь", "Неправда", "ФЕЙК", "Фейк."],
        "kk": ["Жалған", "Өтірік"],
        "ky": ["Жалган", "Калп"],
        "uz": ["Yolgʻon", "Soxta", "Yolg'on"],
        "uz-Cyrl": ["Ёлғон"],
        "tg": ["Дурӯғ", "Бардурӯғ"],
        "tk": ["Ýalan", "Nädogry"],
        "en": ["False", "Fake", "Mostly false", "Fabricated"],
        "ur": ["غلط", "جھوٹ"],
    },
    "misleading": {
        "ru": ["Манипуляция", "Вводит в заблуждение", "Вне контекста"],
        "kk": ["Манипуляция", "Контекстен тыс"],
        "ky": ["Манипуляция"],
        "uz": ["Manipulyatsiya", "Chalgʻituvchi"],
        "uz-Cyrl": ["Чалғитувчи"],
        "tg": ["Гумроҳкунанда"],
        "tk": ["Manipulýasiýa"],
        "en": ["Misleading", "Missing context"],
        "ur": ["گمراہ کن"],
    },
    "mixed": {
        "ru": ["Полуправда", "Частично правда"],
        "kk": ["Жартылай шындық"],
        "ky": ["Жарым-жартылай чындык"],
        "uz": ["Chala haqiqat", "Yarim haqiqat"],
        "uz-Cyrl": ["Ярим ҳақиқат"],
        "tg": ["Нимҳақиқат"],
        "tk": ["Ýarym hakykat"],
        "en": ["Half true", "Half-true", "Partly false"],
        "ur": ["آدھا سچ"],
    },
    "unproven": {
        "ru": ["Без вердикта", "Не подтверждено"],
        "kk": ["Дәлелденбеген"],
        "ky": ["Тастыкталган эмес"],
        "uz": ["Tasdiqlanmagan"],
        "uz-Cyrl": ["Тасдиқланмаган"],
        "tg": ["Тасдиқнашуда"],
        "tk": ["Tassyklanmadyk"],
        "en": ["Unproven", "Unverified"],
        "ur": ["غیر مصدقہ"],
    },
    "true": {
        "ru": ["Правда"],
        "kk": ["Шындық"],
        "ky": ["Чындык"],
        "uz": ["Haqiqat"],
        "uz-Cyrl": ["Ҳақиқат"],
        "tg": ["Ҳақиқат"],
        "tk": ["Dogry"],
        "en": ["True", "Mostly true"],
        "ur": ["سچ"],
    },
    "satire": {"ru": ["Сатира"], "uz": ["Hajviya"], "en": ["Satire"], "kk": ["Сатира"]},
}
# Typos, compound labels and labels no mapping knows, each planted a few times.
_TYPOS = {
    "false": ["Yolgʻn", "Falsee", "Непрвда"],
    "misleading": ["Манипуляцыя", "Misleadng"],
    "mixed": ["Полупровда", "Half tru"],
}
_COMPOUNDS = {
    "misleading": ["правда и манипуляция", "Half true, missing context"],
    "false": ["Полуправда / Фейк", "Жалған және манипуляция"],
    "mixed": ["Chala haqiqat va haqiqat"],
}
_UNMAPPABLE = ("Требует проверки", "см. комментарий", "Tekshirilmoqda")
_ORGS = {
    "KAZ": ("Тексеру (synthetic)", "tekseru.example"),
    "KGZ": ("Текшер KG (synthetic)", "tekshir-kg.example"),
    "TJK": ("Санҷиш (synthetic)", "sanjish-tj.example"),
    "UZB": ("Haqiqat Lab (synthetic)", "haqiqatlab.example"),
    "PAK": ("Sach Check (synthetic)", "sachcheck.example"),
    "TKM": ("Barla (synthetic)", "barla-tm.example"),
}
_COUNTRY_SPELLINGS = {
    "KAZ": ["Казахстан", "Qazaqstan", "KZ", "Kazakhstan", "Қазақстан", "РК"],
    "KGZ": ["Кыргызстан", "Kirghizia", "KG", "Kyrgyzstan", "Киргизия"],
    "TJK": ["Таджикистан", "Tojikiston", "TJ", "Tajikistan", "Тоҷикистон"],
    "TKM": ["Туркменистан", "Turkmenistan", "TM", "Türkmenistan"],
    "UZB": ["Oʻzbekiston", "Узбекистан", "UZ", "Uzbekistan", "Ўзбекистон", "O'zbekiston"],
    "PAK": ["Pakistan", "PK", "پاکستان"],
}
_ITEMS = {"KAZ": 2400, "KGZ": 2100, "TJK": 2000, "TKM": 2000, "UZB": 2600, "PAK": 2300}
_FACT_CHECK_SHARE = {"KAZ": 0.42, "KGZ": 0.42, "TJK": 0.4, "TKM": 0.3, "UZB": 0.42, "PAK": 0.45}
_ZONES = {
    "KAZ": "Asia/Almaty",
    "KGZ": "Asia/Bishkek",
    "TJK": "Asia/Dushanbe",
    "TKM": "Asia/Ashgabat",
    "UZB": "Asia/Tashkent",
    "PAK": "Asia/Karachi",
}
_ELECTION_DAY = {
    "KAZ": "2023-03-19",
    "KGZ": "2024-11-17",
    "TJK": "2025-03-02",
    "TKM": "2023-03-26",
    "UZB": "2024-10-27",
    "PAK": "2024-02-08",
}
_START, _DAYS = pd.Timestamp("2023-01-01", tz="UTC"), 912  # to 2025-06-30
_RU_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_BROKEN_DATES = ("вчера", "n/a", "32.13.2024")
_CONTACTS = (
    "пишите на info.fake@mail.ru",
    "звоните +7 701 555 12 17",
    "WhatsApp +92 300 1234567",
    "aloqa: +998 90 123 45 67",
    "подробности: priz.2024@gmail.com",
    "звоните 8 (777) 123-45-67",
)
_HOSTILE = (
    "<script>alert(1)</script> Срочно! Все в банк за выплатой",
    "<img src=x onerror=alert(1)> Видео удалили, смотрите быстрее",
)
README = """# Synthetic sample content (not real data)

Every file in this folder was generated by `milresearch.sample.content.write_sample_content`
(`milresearch sample-data`, seed {seed}) from small phrase banks with numpy's seeded random
generator. No item is a real fact-check or post; organisation names carry "(synthetic)" and
their sites use the reserved `.example` domain. Rerunning the generator gives the same bytes.

| file | what | rows |
|---|---|---|
{table}

Each file has a `<file stem>.codebook.yml` (kind `content`, `synthetic: true`) that maps its
columns to the canonical content variables.

`telegram_result.json` is in the format Telegram Desktop's "Export Telegram data" writes (JSON,
whole account; `milresearch.sample.telegram`): two or three public channels per country and one
public group of (synthetic) people in Kyrgyzstan. Dates are the exporting machine's local time
(UTC+05:00) beside `date_unixtime`; texts are strings or entity lists (bold, hashtags, mentions,
links); {service} service messages; {forwards} forwards between the exported channels, {cross_border}
of them across a border, plus forwards from two channels that are not exported and from people.
About a third of a channel's own posts tell a claim that a fact-checker of the same country
rates one to twenty days later, so claims can be followed from channel to channel to their
fact-check.

## Relationships built in
- Telegram dominates in Uzbekistan and Tajikistan, Instagram in Kazakhstan and Kyrgyzstan,
  Facebook in Pakistan, imo in Turkmenistan.
- Items that appeared on TikTok are more often rated false (60 % against 42 % elsewhere).
- Health claims peak in December to February, election claims in the two months before each
  country's (fictional) election day, energy claims in winter in Central Asia and in summer in
  Pakistan.
- {stories} claims are reposted across countries: Russian claims in several Central Asian
  countries, Uzbek claims in both Latin and Cyrillic script (in Uzbekistan and Tajikistan).
  The k-th template of a topic means the same in every language, so some claims also travel
  in translation (which text similarity does not link).
- Claims are built from about 25 templates per language with a speaker, a number and a place,
  so independent items sometimes coincide or differ in a digit only; the near-duplicate
  clustering links those too.

## Defects to clean (each counted in the cleaning log)
- Country names spelled several ways and in several scripts (Казахстан, Qazaqstan, KZ, Kirghizia,
  Ўзбекистон, پاکستان ...).
- Platform names spelled several ways (t.me, Телеграм, TG, ok.ru, Одноклассники, ОК, FB,
  insta ...).
- Dates as ISO 8601 with offsets and with Z, naive local times, 12.03.2024, 12 марта 2024,
  2024/03/12, epoch seconds and Excel date cells, plus a few unreadable ones ({broken}).
- Verdict labels in Russian, Kazakh, Kyrgyz, Uzbek (both scripts), Tajik, Turkmen, English and
  Urdu, with typos ({typos}), compound labels ({compounds}) and three labels no mapping knows
  ({unmappable}).
- Duplicate URLs: about 2.5 % of items were collected twice, the copy's URL with tracking
  parameters, a mobile host, a trailing slash or a fragment.
- E-mail addresses and +7 / +998 / +92 phone numbers inside claim texts, @handles as authors.
- One `<script>alert(1)</script>` and one `<img src=x onerror=alert(1)>` text.
"""


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _weighted(rng: np.random.Generator, table: dict[str, float]) -> str:
    keys = list(table)
    weights = np.array(list(table.values()), dtype=float)
    return keys[int(rng.choice(len(keys), p=weights / weights.sum()))]


def _story(rng: np.random.Generator, lang: str, topic: str, country: str) -> dict:
    """One claim: its template, speaker, numbers and place, renderable in any language."""
    base = "uz" if lang == "uz-Cyrl" else lang
    numbers = {kind: _pick(rng, values) for kind, values in _NUMBERS.items()}
    return {
        "topic": topic,
        "k": int(rng.integers(len(_CLAIMS[base][topic]))),
        "who": int(rng.integers(6)),
        "numbers": numbers,
        "country": country,
        "place": int(rng.integers(8)),
    }


def _render(rng: np.random.Generator, story: dict, lang: str) -> str:
    """The story in ``lang`` with a random opening and ending, as a chain message carries it."""
    base = "uz" if lang == "uz-Cyrl" else lang
    templates = _CLAIMS[base][story["topic"]]
    template = templates[story["k"] % len(templates)]
    claim = template.format(who=_WHO[base][story["who"]], **story["numbers"])
    places = _PLACES[story["country"]]
    place = places.get(base, places.get("ru") or places["en"])[story["place"]]
    claim = f"{claim[:1].upper()}{claim[1:]} ({place})"
    openings, endings = _FRAMES[base]
    text = " ".join(p for p in (_pick(rng, openings), claim, _pick(rng, endings)) if p)
    return transliterate(text, "uz", "Cyrl") if lang == "uz-Cyrl" else text


def _moment(rng: np.random.Generator, country: str) -> tuple[pd.Timestamp, str]:
    """A publication time and the topic it is about; topics follow the seasons."""
    stamp = _START + pd.Timedelta(seconds=int(rng.integers(_DAYS * 86400)))
    month = stamp.month
    weights = dict.fromkeys(TOPICS, 1.0)
    if month in (12, 1, 2):
        weights["health"] = 3.5
    winter = month in (11, 12, 1, 2)
    summer = month in (6, 7, 8)
    if (country != "PAK" and winter) or (country == "PAK" and summer):
        weights["energy"] = 2.5
    days_before = (pd.Timestamp(_ELECTION_DAY[country], tz="UTC") - stamp).days
    if 0 <= days_before <= 60:
        weights["elections"] = 6.0
    return stamp, _weighted(rng, weights)


def _verdict(rng: np.random.Generator, platform: str, lang: str) -> str:
    weights = dict(_VERDICT_WEIGHTS)
    if platform == "tiktok":
        weights.update(false=0.6, true=0.04)
    labels = _VERDICT_LABELS[_weighted(rng, weights)]
    return _pick(rng, labels.get(lang) or labels.get("ru") or labels["en"])


def _items(rng: np.random.Generator, country: str) -> list[dict]:
    """The items of one country, before deliveries give them their shape."""
    rows = []
    for i in range(_ITEMS[country]):
        stamp, topic = _moment(rng, country)
        lang = _weighted(rng, _LANG_MIX[country])
        platforms = dict(_PLATFORMS[country])
        if topic == "deepfake":  # videos travel on video platforms
            for name in ("tiktok", "youtube"):
                platforms[name] = platforms.get(name, 0.02) * 3
        platform = _weighted(rng, platforms)
        fact_check = bool(rng.random() < _FACT_CHECK_SHARE[country])
        story = _story(rng, lang, topic, country)
        video = platform in ("tiktok", "youtube") or topic == "deepfake"
        rows.append(
            {
                "country": country,
                "i": i,
                "stamp": stamp,
                "topic": topic,
                "lang": lang,
                "platform": platform,
                "fact_check": fact_check,
                "story": story,
                "text": _render(rng, story, lang),
                "format": "video" if video else _pick(rng, ["text", "text", "image", "audio"]),
                "verdict": _verdict(rng, platform, lang) if fact_check else None,
                "channel": _pick(rng, _CHANNELS),
                "post_id": int(rng.integers(10**5, 10**6)),
            }
        )
    return rows


def _plant(rng: np.random.Generator, items: dict[str, list[dict]]) -> int:
    """Reposts across countries and scripts, contacts, hostile markup and odd verdicts."""
    reposted = 0
    for country, rows in items.items():
        for row in rows:
            if row["lang"] == "ru" and rng.random() < 0.03:  # the same Russian claim elsewhere
                others = [c for c in ("KAZ", "KGZ", "TJK", "TKM", "UZB") if c != country]
                for other in rng.choice(others, size=int(rng.integers(1, 4)), replace=False):
                    target = _pick(rng, [r for r in items[str(other)] if r["lang"] == "ru"])
                    target.update(
                        story=row["story"],
                        topic=row["story"]["topic"],
                        text=_render(rng, row["story"], "ru"),
                    )
                reposted += 1
            elif row["lang"] == "uz" and rng.random() < 0.04:  # the Uzbek claim in Cyrillic
                for other in ("UZB", "TJK"):
                    pool = [r for r in items[other] if r["lang"] in ("uz-Cyrl", "ru")]
                    target = _pick(rng, pool)
                    target.update(
                        story=row["story"],
                        topic=row["story"]["topic"],
                        lang="uz-Cyrl",
                        text=_render(rng, row["story"], "uz-Cyrl"),
                    )
                reposted += 1
    every = [r for c in items for r in items[c]]
    for contact in _CONTACTS:
        for j in rng.choice(len(every), size=3, replace=False):
            every[j]["text"] = f"{every[j]['text']} {contact}"
    for text, j in zip(_HOSTILE, rng.choice(len(every), size=2, replace=False), strict=True):
        every[j].update(text=text, lang="ru")
    checks = [r for r in every if r["fact_check"] and r["country"] in ("KAZ", "KGZ", "UZB", "TJK")]
    odd = [
        *(v for vs in _TYPOS.values() for v in vs),
        *(v for vs in _COMPOUNDS.values() for v in vs),
    ]
    labels = odd + list(_UNMAPPABLE) * 2
    for label, j in zip(
        labels, rng.choice(len(checks), size=len(labels), replace=False), strict=True
    ):
        checks[j]["verdict"] = label
    return reposted


def _local(stamp: pd.Timestamp, country: str) -> pd.Timestamp:
    return stamp.tz_convert(_ZONES[country])


def _date_text(rng: np.random.Generator, stamp: pd.Timestamp, country: str, styles) -> str | int:
    """The publication time written in one of ``styles``."""
    local = _local(stamp, country)
    style = _pick(rng, styles)
    if style == "iso_offset":
        return local.isoformat(timespec="seconds")
    if style == "iso_z":
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "dotted":
        return local.strftime("%d.%m.%Y")
    if style == "dotted_time":
        return local.strftime("%d.%m.%Y %H:%M")
    if style == "words":
        months = _EN_MONTHS if country == "PAK" else _RU_MONTHS
        return f"{local.day} {months[local.month - 1]} {local.year}"
    if style == "naive":
        return local.strftime("%Y-%m-%d %H:%M")
    if style == "slashes":
        return local.strftime("%Y/%m/%d")
    if style == "date":
        return local.strftime("%Y-%m-%d")
    return int(stamp.timestamp())  # epoch


def _url_variant(rng: np.random.Generator, url: str) -> str:
    """The same address as a second crawl records it."""
    kind = int(rng.integers(5))
    if kind == 0:
        return url + "?utm_source=telegram&utm_medium=social"
    if kind == 1:
        return url.replace("https://www.", "https://").replace("https://", "http://m.")
    if kind == 2:
        return url.rstrip("/") + "/"
    if kind == 3:
        return url + "#comments"
    return url + ("&" if "?" in url else "?") + "fbclid=IwAR0" + str(int(rng.integers(10**6)))


def _with_duplicates(rng: np.random.Generator, rows: list[dict]) -> list[dict]:
    """About 2.5 % of rows collected a second time, a little later, under a variant URL."""
    copies = []
    for j in sorted(rng.choice(len(rows), size=max(1, len(rows) // 40), replace=False)):
        copy = dict(rows[j])
        copy.update(
            url=_url_variant(rng, rows[j]["url"]),
            id=rows[j]["id"] + "-2",
            stamp=rows[j]["stamp"] + pd.Timedelta(minutes=int(rng.integers(5, 600))),
        )
        copies.append(copy)
    out = rows + copies
    return sorted(out, key=lambda r: (r["stamp"], r["id"]))


def _codebook(
    name: str, file: str, fmt: str, description: dict[str, str], columns: dict[str, str], seed: int
) -> dict:
    types = {"item_id": "id", "country": "country", "date_published": "date", "claim_text": "text"}
    dataset = {
        "name": name,
        "kind": "content",
        "file": file,
        "format": fmt,
        "synthetic": True,
        "description": description,
        "producer": {
            "en": f"milresearch sample generator (seed {seed})",
            "ru": f"генератор синтетической выборки milresearch (начальное число {seed})",
        },
    }
    if fmt == "csv":
        dataset["encoding"] = "utf-8"
    variables = {}
    for canonical, source in columns.items():
        spec: dict[str, object] = {"source": source, "type": types.get(canonical, "string")}
        if canonical in ("claim_text", "claim_author"):
            spec["pii"] = True
        variables[canonical] = spec
    return {"dataset": dataset, "variables": variables}


def _fact_check_url(country: str, row: dict, lang: str) -> str:
    return f"https://www.{_ORGS[country][1]}/{lang[:2]}/checks/{row['i']:05d}-{row['topic']}"


def _prepare(rng: np.random.Generator, items: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Give every item its ids, URLs, authors and spellings; split into the four deliveries."""
    parts: dict[str, list[dict]] = {"csv": [], "jsonl": [], "excel": [], "claimreview": []}
    for country, rows in items.items():
        for row in rows:
            platform_url = _POST_URLS[row["platform"]].format(
                channel=row["channel"], id=row["post_id"]
            )
            handle = f"@{row['channel']}"
            row.update(
                country_raw=_pick(rng, _COUNTRY_SPELLINGS[country]),
                platform_raw=_pick(rng, _PLATFORM_SPELLINGS[row["platform"]]),
                claim_url=platform_url,
                author=handle if rng.random() < 0.5 else row["channel"].replace("_", " ").title(),
            )
            if not row["fact_check"]:
                row.update(id=f"post_{country}_{row['i']:05d}", url=platform_url)
                parts["jsonl"].append(row)
                continue
            row.update(
                url=_fact_check_url(country, row, row["lang"]), id=f"{country}-FC-{row['i']:05d}"
            )
            if country in ("KAZ", "KGZ"):
                parts["csv"].append(row)
            elif country in ("UZB", "TJK"):
                parts["excel"].append(row)
            else:
                parts["claimreview"].append(row)
    return {name: _with_duplicates(rng, rows) for name, rows in parts.items()}


def _broken_dates(rng: np.random.Generator, values: list) -> list:
    for j, bad in zip(
        rng.choice(len(values), size=len(_BROKEN_DATES), replace=False), _BROKEN_DATES, strict=True
    ):
        values[int(j)] = bad
    return values


_LANGUAGE_NAMES = {
    "csv": {"ru": ["ru", "Русский", "рус"], "kk": ["kk", "Қазақ", "каз"], "ky": ["ky", "Кыргыз"]},
    "excel": {
        "uz": ["oʻzbek", "uz", "uzb"],
        "uz-Cyrl": ["ўзбек", "uz-Cyrl"],
        "ru": ["rus", "ru"],
        "tg": ["tojik", "tg"],
    },
}
_CSV_COLUMNS = {
    "item_id": "ID",
    "country": "Страна",
    "source_org": "Организация",
    "url": "Ссылка",
    "date_published": "Дата публикации",
    "claim_text": "Утверждение",
    "claim_author": "Автор утверждения",
    "claim_platform": "Платформа",
    "claim_url": "Ссылка на источник",
    "verdict_raw": "Вердикт",
    "language": "Язык",
    "format": "Формат",
    "item_type": "Тип",
}
_JSONL_COLUMNS = {
    "item_id": "id",
    "country": "country",
    "url": "url",
    "date_published": "created_at",
    "claim_text": "text",
    "claim_platform": "platform.name",
    "claim_author": "author.name",
    "source_type": "author.type",
    "language": "lang",
    "format": "media_type",
    "item_type": "type",
}
_EXCEL_COLUMNS = {
    "item_id": "ID",
    "country": "Davlat",
    "source_org": "Tashkilot",
    "url": "Havola",
    "date_published": "Sana",
    "claim_text": "Daʼvo",
    "claim_author": "Muallif",
    "claim_platform": "Platforma",
    "claim_url": "Manba",
    "verdict_raw": "Xulosa",
    "language": "Til",
    "format": "Format",
    "item_type": "Turi",
}
_CLAIMREVIEW_COLUMNS = {name: name for name in COLUMNS}


@dataclass(frozen=True)
class _Delivery:
    """One file as a vendor would send it, and what its codebook says about it."""

    file: str
    fmt: str
    data: bytes
    columns: dict[str, str]
    rows: int
    description: dict[str, str]
    what: str


def _csv_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """A fact-check archive of a Kazakh and a Kyrgyz fact-checker, UTF-8 CSV, Russian headers."""
    styles = ("dotted", "dotted", "words", "dotted_time", "iso_offset")
    dates = _broken_dates(rng, [_date_text(rng, r["stamp"], r["country"], styles) for r in rows])
    formats = {"text": "текст", "image": "фото", "video": "видео", "audio": "аудио"}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS.values())
    for row, date in zip(rows, dates, strict=True):
        language = _pick(rng, _LANGUAGE_NAMES["csv"][row["lang"]])
        writer.writerow(
            [row["id"], row["country_raw"], _ORGS[row["country"]][0], row["url"], date,
             row["text"], row["author"], row["platform_raw"], row["claim_url"], row["verdict"],
             language, formats[row["format"]], "фактчек"]
        )  # fmt: skip
    return _Delivery(
        "factchecks_kaz_kgz.csv",
        "csv",
        buf.getvalue().encode("utf-8"),
        _CSV_COLUMNS,
        len(rows),
        {
            "en": "Synthetic fact-check archive of a Kazakh and a Kyrgyz fact-checker.",
            "ru": "Синтетический архив проверок фактов казахстанского и кыргызского фактчекеров.",
        },
        "fact-checks, Kazakhstan and Kyrgyzstan, UTF-8 CSV with Russian headers",
    )


def _jsonl_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """A social-media monitoring export, JSON Lines with nested objects, all six countries."""
    styles = ("iso_offset", "iso_z", "iso_z", "epoch", "naive")
    dates = _broken_dates(rng, [_date_text(rng, r["stamp"], r["country"], styles) for r in rows])
    lines = []
    for row, date in zip(rows, dates, strict=True):
        record = {
            "id": row["id"],
            "country": row["country_raw"],
            "url": row["url"],
            "created_at": date,
            "text": row["text"],
            "platform": {"name": row["platform_raw"]},
            "author": {"name": row["author"], "type": _pick(rng, ["channel", "group", "user"])},
            "lang": None if rng.random() < 0.15 else row["lang"],
            "media_type": row["format"],
            "type": "post",
        }
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return _Delivery(
        "posts_export.jsonl",
        "jsonl",
        ("\n".join(lines) + "\n").encode("utf-8"),
        _JSONL_COLUMNS,
        len(rows),
        {
            "en": "Synthetic social-media monitoring export: posts from all six countries.",
            "ru": "Синтетическая выгрузка мониторинга соцсетей: публикации из всех шести стран.",
        },
        "social-media posts, all six countries, JSON Lines",
    )


def _excel_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """Fact-checks of an Uzbek and a Tajik fact-checker, one sheet, one header row.

    Half the dates are Excel date cells, the rest text; the workbook's metadata and the zip
    members' times are pinned so that the bytes do not depend on the clock.
    """
    import openpyxl

    dates = [
        _local(r["stamp"], r["country"]).tz_localize(None).to_pydatetime()
        if rng.random() < 0.5
        else _date_text(rng, r["stamp"], r["country"], ("dotted", "slashes", "date"))
        for r in rows
    ]
    dates = _broken_dates(rng, dates)
    formats = {"text": "matn", "image": "rasm", "video": "video", "audio": "audio"}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "factchecks"
    sheet.append(list(_EXCEL_COLUMNS.values()))
    for row, date in zip(rows, dates, strict=True):
        language = _pick(rng, _LANGUAGE_NAMES["excel"][row["lang"]])
        sheet.append(
            [row["id"], row["country_raw"], _ORGS[row["country"]][0], row["url"], date,
             row["text"], row["author"], row["platform_raw"], row["claim_url"], row["verdict"],
             language, formats[row["format"]], "fakt-tekshiruv"]
        )  # fmt: skip
    book.properties.created = book.properties.modified = dt.datetime(2025, 3, 1)
    book.properties.creator = "milresearch sample generator"
    buf = io.BytesIO()
    book.save(buf)
    return _Delivery(
        "factchecks_uzb_tjk.xlsx",
        "excel",
        pin_zip(buf.getvalue()),
        _EXCEL_COLUMNS,
        len(rows),
        {
            "en": "Synthetic fact-checks of an Uzbek and a Tajik fact-checker.",
            "ru": "Синтетические проверки фактов узбекского и таджикского фактчекеров.",
        },
        "fact-checks, Uzbekistan and Tajikistan, Excel, one header row",
    )


def _claimreview_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """ClaimReview JSON-LD of a Pakistani and a Turkmen fact-checker, one record per line."""
    records = []
    for row in rows:
        appearance = {"@type": "CreativeWork", "url": row["claim_url"]}
        shapes = ([appearance], appearance, row["claim_url"])  # a list, an object, a string
        date = _date_text(rng, row["stamp"], row["country"], ("date", "iso_z", "iso_offset"))
        records.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": row["url"],
                "claimReviewed": row["text"],
                "datePublished": date,
                "inLanguage": row["lang"],
                "author": {"@type": "Organization", "name": _ORGS[row["country"]][0]},
                "contentLocation": {"@type": "Place", "name": row["country_raw"]},
                "reviewRating": {"@type": "Rating", "alternateName": row["verdict"]},
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": row["author"]},
                    "appearance": shapes[int(rng.integers(3))],
                },
            }
        )
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    return _Delivery(
        "claimreview_pak_tkm.json",
        "claimreview",
        f"[\n{lines}\n]\n".encode(),
        _CLAIMREVIEW_COLUMNS,
        len(rows),
        {
            "en": "Synthetic ClaimReview JSON-LD of a Pakistani and a Turkmen fact-checker.",
            "ru": "Синтетическая разметка ClaimReview (JSON-LD) пакистанского и туркменского фактчекеров.",
        },
        "fact-checks, Pakistan and Turkmenistan, ClaimReview JSON-LD",
    )


def write_sample_content(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the four synthetic content deliveries, their codebooks and a README into ``out_dir``.

    Returns:
        The paths written, in a fixed order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 7])
    items = {country: _items(rng, country) for country in _ITEMS}
    stories = _plant(rng, items)
    parts = _prepare(rng, items)
    deliveries = [
        _csv_delivery(rng, parts["csv"]),
        _jsonl_delivery(rng, parts["jsonl"]),
        _excel_delivery(rng, parts["excel"]),
        _claimreview_delivery(rng, parts["claimreview"]),
    ]
    written: list[Path] = []
    header = "# Codebook of a SYNTHETIC sample content delivery (milresearch sample-data).\n"
    for d in deliveries:
        name = Path(d.file).stem
        book = _codebook(name, d.file, d.fmt, d.description, d.columns, seed)
        storage.write_bytes(out_dir / d.file, d.data)
        storage.write_text(
            out_dir / f"{name}.codebook.yml",
            header + yaml.safe_dump(book, allow_unicode=True, sort_keys=False),
        )
        written += [out_dir / d.file, out_dir / f"{name}.codebook.yml"]
    telegram_files, telegram_counts = _write_telegram(out_dir, seed, items, header)
    written += telegram_files
    rows = [f"| `{d.file}` | {d.what} | {d.rows:,} |" for d in deliveries]
    rows.append(f"| `{telegram_files[0].name}` | Telegram Desktop export (whole account, JSON): "
                f"14 chats, all six countries | {telegram_counts['messages']:,} messages |")  # fmt: skip
    readme = README.format(
        seed=seed,
        table="\n".join(rows),
        forwards=telegram_counts["forwards"],
        cross_border=telegram_counts["cross_border"],
        service=telegram_counts["service"],
        stories=stories,
        broken=", ".join(f"`{d}`" for d in _BROKEN_DATES),
        typos=", ".join(v for vs in _TYPOS.values() for v in vs),
        compounds=", ".join(f"“{v}”" for vs in _COMPOUNDS.values() for v in vs),
        unmappable=", ".join(f"“{v}”" for v in _UNMAPPABLE),
    )
    storage.write_text(out_dir / "README.md", readme)
    return [*written, out_dir / "README.md"]


def _write_telegram(
    out_dir: Path, seed: int, items: dict[str, list[dict]], header: str
) -> tuple[list[Path], dict]:
    """The Telegram Desktop export (:mod:`milresearch.sample.telegram`), its codebook, counts."""
    from milresearch.sample import telegram

    data, counts = telegram.export(seed, items)
    name = Path(telegram.FILE).stem
    storage.write_bytes(out_dir / telegram.FILE, data)
    book = yaml.safe_dump(telegram.codebook(seed), allow_unicode=True, sort_keys=False)
    storage.write_text(out_dir / f"{name}.codebook.yml", header + book)
    return [out_dir / telegram.FILE, out_dir / f"{name}.codebook.yml"], counts
