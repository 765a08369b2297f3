"""The district (区/县) and city (市) above the streets: the street-by-street page, the
cross-street ranking of property companies, and the 金牌红色物业 selection published to
every street's public board in the district. District and city staff read; district
staff run the selection; they write no street record."""
