from hiratsuka_portal.navigation import MAIN_NAVIGATION, NavItem, navigation_links


def test_menu_lists_only_sections_that_are_served():
    items = (
        NavItem("privacy", "個人情報"),
        NavItem("no-such-app:index", "未公開"),
        NavItem("accessibility", "アクセシビリティ"),
    )
    links = navigation_links("/accessibility/", items)
    assert [link.url for link in links] == ["/privacy/", "/accessibility/"]
    assert [link.current for link in links] == [False, True]


def test_main_menu_names_the_five_sections():
    assert [item.url_name for item in MAIN_NAVIGATION] == [
        "projects:project-list",
        "projects:research-group",
        "donations:donation-list",
        "agreements:agreement-list",
        "opendata-index",
    ]
