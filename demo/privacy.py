"""The demo's privacy policy and the demo owners' consents, for `manage.py load_demo`.

Production starts with no policy: the company publishes its own, written with its lawyers.
"""

from datetime import date

from django.conf import settings
from wagtail.rich_text import RichText

from home.models import HomePage, PrivacyPolicyPage
from owners import consent
from owners.models import Consent, User

VERSION = "2026-12"
EARLIER_VERSION = "2026-06"
# Who agreed to what: chenjing agreed to the earlier version and is asked again on signing in.
AGREED = {
    "owner": VERSION,
    "pending": VERSION,
    "zhangwei": VERSION,
    "liuyang": VERSION,
    "chenjing": EARLIER_VERSION,
    "technician": VERSION,
    "guard": VERSION,
    "zhaomin": VERSION,
    "zhouli": VERSION,
    "wugang": VERSION,
}

SUMMARY = (
    "我们收集您的邮箱、姓名、手机号和房产信息，以及您在报事、论坛和会员俱乐部中提供的内容，"
    "仅用于业主认证、处理您的报事和提供会员服务。\n"
    "其他业主只能看到您的昵称，或隐去名字的姓氏（如 王**）；除非您选择显示，真实姓名只有您本人和"
    "相关工作人员可见。会员生日、纪念日和问卷答卷只有俱乐部工作人员可见。\n"
    "本版新增：论坛昵称与姓名显示规则、会员资料的查看权限说明。"
)


def p(html):
    return ("paragraph", RichText(html))


BODY = [
    p(
        "<p>金都地产客户服务部（以下简称“我们”）运营金都业主服务中心网站，作为个人信息处理者，"
        "依照《中华人民共和国个人信息保护法》等法律法规处理您的个人信息。本政策说明我们收集哪些"
        "信息、为什么收集、保存多久、谁能看到，以及您享有的权利。</p>"
    ),
    ("heading", "一、我们收集的信息和用途"),
    p(
        "<ul>"
        "<li><b>注册与登录</b>：电子邮箱和密码（仅保存加密后的摘要），用于创建账号、验证邮箱和找回密码。</li>"
        "<li><b>业主认证</b>：真实姓名、手机号、您认证的楼栋与房号，以及购房合同或不动产权证书编号，"
        "用于核实您的业主身份。证件编号仅供客服核对，不向其他业主展示。</li>"
        "<li><b>投诉建议（报事）</b>：问题描述、照片和附件、联系方式，用于受理、处理和回访您的报事。</li>"
        "<li><b>业主论坛</b>：您发布的话题、回复、图片、点赞和举报，以及您设置的昵称。</li>"
        "<li><b>会员俱乐部</b>：兴趣爱好、生日、结婚纪念日等重要日子、资讯订阅选择、积分与兑换记录、"
        "活动报名与签到记录、问卷答卷，用于会员服务、生日祝福和活动邀请。</li>"
        "<li><b>通知偏好</b>：您选择的语言和邮件通知方式。</li>"
        "</ul>"
    ),
    p(
        "<p>我们不收集您的身份证号码、银行卡信息、精确位置或通讯录，也不通过本网站收集未满十四周岁"
        "未成年人的个人信息。</p>"
    ),
    ("heading", "二、谁能看到您的信息"),
    p(
        "<ul>"
        "<li><b>其他业主和访客</b>：只能看到您的昵称；未设置昵称时，只显示您的姓氏并隐去名字（如 王**）。"
        "只有您在“编辑资料”中勾选“向其他业主显示我的真实姓名”后，才会显示全名。</li>"
        "<li><b>客服人员</b>：为处理业主认证和报事，可查看您的姓名、联系方式和房产信息。</li>"
        "<li><b>俱乐部工作人员和经理</b>：会员的生日、纪念日和问卷答卷仅对他们开放，"
        "内容编辑、论坛版主等其他岗位无法查看。</li>"
        "</ul>"
        "<p>每位工作人员只能访问其岗位所需的信息，相关操作均留有记录。</p>"
    ),
    ("heading", "三、委托处理、共享与转让"),
    p(
        "<p>我们委托邮件和短信服务商向您发送验证邮件和通知，并通过合同要求其仅按我们的指示处理信息、"
        "采取必要的安全措施。除法律法规规定或取得您的单独同意外，我们不会向第三方提供、出售或公开"
        "您的个人信息。</p>"
    ),
    ("heading", "四、存储地点与保存期限"),
    p(
        "<ul>"
        "<li>您的个人信息存储在中华人民共和国境内的服务器上，不向境外提供。</li>"
        "<li>账号信息在账号存续期间保存。您申请注销账号后，我们在 "
        f"{settings.ACCOUNT_CLOSURE_DAYS} 天内为您注销，删除或匿名化"
        "您的个人信息；在此之前您可以随时撤回申请。</li>"
        "<li>申请注销时，您可以选择保留论坛发言（署名改为“已注销用户”），或删除发言和图片。"
        "其他业主引用您发言时带出的名字一律改为“已注销用户”；选择删除的，引用的内容也一并删除。</li>"
        f"<li>报事记录和附件在注销后再保存 {settings.CASE_RETENTION_DAYS // 365} 年"
        "（尚未办结的，待办结后处理），用于处理可能的争议，"
        "期间不再保留您的联系方式；期满后删除内容和附件，只保留不含个人信息的统计记录。</li>"
        "<li>积分明细和兑换记录作为会员账务记录保留，不再关联您的姓名。</li>"
        "<li>您同意隐私政策和会员章程的记录（版本和时间）在注销后继续保留，用以证明曾取得您的"
        "同意，但不再关联任何个人信息。</li>"
        f"<li>您申请下载的个人数据文件在生成后保存 {settings.DATA_EXPORT_DAYS} 天，期满自动删除。</li>"
        "</ul>"
    ),
    ("heading", "五、您的权利"),
    p(
        "<p>您有权查阅、复制、更正、补充和删除您的个人信息，有权撤回同意、注销账号，并可要求我们"
        "解释本政策。您可以在“我的”页面修改姓名、昵称和通知方式，在“我的 → 账号与隐私”下载您的"
        "数据或申请注销账号；也可以通过下方联系方式与我们联系，我们将在 15 个工作日内答复。"
        "撤回同意不影响撤回前基于同意已进行的处理。</p>"
    ),
    ("heading", "六、安全措施"),
    p(
        "<p>我们采用加密传输、密码摘要存储、访问权限分级和操作日志等措施保护您的个人信息。"
        "如发生个人信息安全事件，我们将按照法律要求及时告知您和主管部门。</p>"
    ),
    ("heading", "七、本政策的更新"),
    p(
        "<p>本政策的每个版本都标有版本号和生效日期。内容发生重大变化时，我们会在您下次登录时请您"
        "重新阅读并确认同意；您在“编辑资料”页面可以看到自己同意过的版本和时间。</p>"
    ),
    ("heading", "八、联系我们"),
    p(
        "<p>个人信息保护负责人邮箱：privacy@jindu.example<br>"
        "客服热线：400-800-1234（每天 8:30–20:30）<br>"
        "地址：杭州市西湖区文三西路 888 号金都大厦一楼客户服务中心</p>"
    ),
]

SUMMARY_EN = (
    "We collect your email address, name, mobile number and property details, and what you "
    "write in cases, the forum and the owners' club, only to verify owners, handle your cases "
    "and run the club.\n"
    "Other owners see only your nickname, or your family name with the given name hidden (王**); "
    "your full name is seen only by you and the staff concerned, unless you choose to show it. "
    "Members' birthdays, anniversaries and survey answers are seen only by club staff.\n"
    "New in this version: how names show in the forum, and who may see members' details."
)

BODY_EN = [
    p(
        "<p>Jindu Property's customer service department (\u201cwe\u201d) runs the Jindu Owner "
        "Service Centre website and, as the handler of your personal information, processes it "
        "under the Personal Information Protection Law of the People's Republic of China and "
        "related regulations. This policy says what we collect, why, for how long, who can see "
        "it, and your rights.</p>"
    ),
    ("heading", "1. What we collect and why"),
    p(
        "<ul>"
        "<li><b>Signing up and in</b>: your email address and password (only a salted digest is "
        "kept), to create your account, confirm your address and reset your password.</li>"
        "<li><b>Owner verification</b>: your real name, mobile number, the building and unit you "
        "claim, and the number of your purchase contract or property certificate, to confirm you "
        "own the home. Certificate numbers are for staff checks only.</li>"
        "<li><b>Cases</b>: your description, photos, attachments and contact details, to accept, "
        "handle and follow up each case.</li>"
        "<li><b>The forum</b>: your topics, replies, pictures, likes and reports, and your "
        "nickname.</li>"
        "<li><b>The owners' club</b>: hobbies, birthdays, anniversaries, newsletter choices, "
        "points and redemptions, event sign-ups and check-ins, survey answers: for member "
        "services, birthday greetings and invitations.</li>"
        "<li><b>Notification choices</b>: your language and the emails you want.</li>"
        "</ul>"
    ),
    p(
        "<p>We do not collect identity card numbers, bank cards, precise location or contacts, "
        "and this site does not collect information from children under fourteen.</p>"
    ),
    ("heading", "2. Who can see your information"),
    p(
        "<ul>"
        "<li><b>Other owners and visitors</b> see only your nickname or, without one, your "
        "family name with the given name hidden (王**). Your full name shows only if you tick "
        "\u201cShow my real name to other owners\u201d on your profile.</li>"
        "<li><b>Customer service staff</b> see your name, contact details and property to verify "
        "owners and handle cases.</li>"
        "<li><b>Club staff and managers</b> alone see members' birthdays, anniversaries and "
        "survey answers; editors, moderators and other roles cannot.</li>"
        "</ul>"
        "<p>Each member of staff reaches only what their role needs, and what they do is "
        "logged.</p>"
    ),
    ("heading", "3. Processors, sharing and transfer"),
    p(
        "<p>Email and SMS providers send our confirmations and notifications under contracts "
        "that bind them to our instructions and to keep the information safe. Unless the law "
        "requires it or you agree separately, we do not give, sell or publish your personal "
        "information to anyone.</p>"
    ),
    ("heading", "4. Where it is kept and for how long"),
    p(
        "<ul>"
        "<li>Your information is stored on servers in the People's Republic of China and is not "
        "sent abroad.</li>"
        "<li>Account details are kept while the account exists. When you ask to close it, we "
        f"close it within {settings.ACCOUNT_CLOSURE_DAYS} days, deleting or anonymising your "
        "information; until then you may withdraw the request.</li>"
        "<li>On closing, you choose to keep your forum posts (signed \u201cclosed account\u201d) "
        "or delete them with their pictures. Where others quoted you, your name becomes "
        "\u201cclosed account\u201d; if you delete your posts, the quotes go too.</li>"
        f"<li>Cases and their attachments are kept {settings.CASE_RETENTION_DAYS // 365} years "
        "after closing (or after the case is finished) in case of disputes, without your "
        "contact details; then they are deleted, leaving only statistics with no personal "
        "information.</li>"
        "<li>Points and redemptions stay as the club's accounts, no longer linked to your "
        "name.</li>"
        "<li>The record of which versions of this policy and the club rules you agreed to, and "
        "when, is kept to prove your consent, linked to nothing personal.</li>"
        "<li>A download of your data is kept for "
        f"{settings.DATA_EXPORT_DAYS} days after it is made, then deleted.</li>"
        "</ul>"
    ),
    ("heading", "5. Your rights"),
    p(
        "<p>You may see, copy, correct, complete and delete your personal information, withdraw "
        "your consent, close your account and ask us to explain this policy. Change your name, "
        "nickname and notifications under \u201cMe\u201d; download your data or close your "
        "account under \u201cMe \u2192 Account and privacy\u201d; or contact us below: we "
        "answer within 15 working days. Withdrawing consent does not undo what was done with "
        "it before.</p>"
    ),
    ("heading", "6. Security"),
    p(
        "<p>We protect your information with encrypted connections, password digests, access by "
        "role and activity logs. If a security incident affects it, we tell you and the "
        "authorities as the law requires.</p>"
    ),
    ("heading", "7. Changes to this policy"),
    p(
        "<p>Each version of this policy carries a version number and an effective date. When it "
        "changes in substance, we ask you to read it and agree again the next time you sign in; "
        "your profile shows which version you agreed to and when.</p>"
    ),
    ("heading", "8. Contact us"),
    p(
        "<p>Personal information officer: privacy@jindu.example<br>"
        "Customer service hotline: 400-800-1234 (every day 8:30\u201320:30)<br>"
        "Address: Customer Service Centre, ground floor, Jindu Tower, 888 Wensan West Road, "
        "Xihu District, Hangzhou</p>"
    ),
]


def build():
    """The policy page, once: staff may have edited it since."""
    if PrivacyPolicyPage.objects.exists():
        return
    home = HomePage.objects.first()
    policy = PrivacyPolicyPage(
        title="隐私政策",
        slug="privacy",
        version=VERSION,
        effective_date=date(2026, 12, 1),
        summary=SUMMARY,
        body=BODY,
        title_en="Privacy policy",
        summary_en=SUMMARY_EN,
        body_en=BODY_EN,
    )
    home.add_child(instance=policy)
    policy.save_revision().publish()


def record_consents():
    """The demo owners' consents, once each (after the owners exist)."""
    for username, version in AGREED.items():
        user = User.objects.filter(username=username).first()
        if user and not Consent.objects.filter(user=user, document="privacy_policy").exists():
            consent.record(user, consent.Document.PRIVACY_POLICY, version)
