"""微信登录: allauth's WeChat (Weixin) provider, its addresses read from the settings."""
