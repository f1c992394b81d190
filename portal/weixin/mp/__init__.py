"""微信登录 inside WeChat's own browser, through the company's official account (公众号网页授权):
a phone cannot scan a QR code on its own screen."""
