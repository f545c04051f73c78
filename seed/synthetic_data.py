"""Word lists of the synthetic data set; `seed.synthetic` combines them into rows.

The 63 provinces are the real ones as they stood before 1/7/2025, with their official
codes and the province each merged into on that day (Resolution 202/2025/QH15); the
names of people, agencies, places and tasks are made up from common Vietnamese words.
"""

import datetime
from typing import NamedTuple

from programmes.choices import OUTPUT_DEFAULT_UNITS, OutputKind
from tasks.choices import TaskField

LAST_DAY_BEFORE_PROVINCE_MERGER = datetime.date(2025, 6, 30)
LAST_DAY_BEFORE_MINISTRY_MERGER = datetime.date(2025, 2, 28)
# The synthetic set is frozen at this day, whatever day it is generated on, so that a seed
# always gives the same rows: tasks ended before it are finished, later ones not started.
REFERENCE_DAY = datetime.date(2025, 6, 30)


class ProvinceName(NamedTuple):
    code: str
    name: str
    is_city: bool = False  # a centrally-run city ("thành phố") rather than a province ("tỉnh")
    successor: str | None = None  # name of the province it merged into on 1/7/2025


# fmt: off
PROVINCES = (
    ProvinceName("01", "Hà Nội", True),
    ProvinceName("02", "Hà Giang", successor="Tuyên Quang"),
    ProvinceName("04", "Cao Bằng"),
    ProvinceName("06", "Bắc Kạn", successor="Thái Nguyên"),
    ProvinceName("08", "Tuyên Quang"),
    ProvinceName("10", "Lào Cai"),
    ProvinceName("11", "Điện Biên"),
    ProvinceName("12", "Lai Châu"),
    ProvinceName("14", "Sơn La"),
    ProvinceName("15", "Yên Bái", successor="Lào Cai"),
    ProvinceName("17", "Hòa Bình", successor="Phú Thọ"),
    ProvinceName("19", "Thái Nguyên"),
    ProvinceName("20", "Lạng Sơn"),
    ProvinceName("22", "Quảng Ninh"),
    ProvinceName("24", "Bắc Giang", successor="Bắc Ninh"),
    ProvinceName("25", "Phú Thọ"),
    ProvinceName("26", "Vĩnh Phúc", successor="Phú Thọ"),
    ProvinceName("27", "Bắc Ninh"),
    ProvinceName("30", "Hải Dương", successor="Hải Phòng"),
    ProvinceName("31", "Hải Phòng", True),
    ProvinceName("33", "Hưng Yên"),
    ProvinceName("34", "Thái Bình", successor="Hưng Yên"),
    ProvinceName("35", "Hà Nam", successor="Ninh Bình"),
    ProvinceName("36", "Nam Định", successor="Ninh Bình"),
    ProvinceName("37", "Ninh Bình"),
    ProvinceName("38", "Thanh Hóa"),
    ProvinceName("40", "Nghệ An"),
    ProvinceName("42", "Hà Tĩnh"),
    ProvinceName("44", "Quảng Bình", successor="Quảng Trị"),
    ProvinceName("45", "Quảng Trị"),
    ProvinceName("46", "Thừa Thiên Huế"),
    ProvinceName("48", "Đà Nẵng", True),
    ProvinceName("49", "Quảng Nam", successor="Đà Nẵng"),
    ProvinceName("51", "Quảng Ngãi"),
    ProvinceName("52", "Bình Định", successor="Gia Lai"),
    ProvinceName("54", "Phú Yên", successor="Đắk Lắk"),
    ProvinceName("56", "Khánh Hòa"),
    ProvinceName("58", "Ninh Thuận", successor="Khánh Hòa"),
    ProvinceName("60", "Bình Thuận", successor="Lâm Đồng"),
    ProvinceName("62", "Kon Tum", successor="Quảng Ngãi"),
    ProvinceName("64", "Gia Lai"),
    ProvinceName("66", "Đắk Lắk"),
    ProvinceName("67", "Đắk Nông", successor="Lâm Đồng"),
    ProvinceName("68", "Lâm Đồng"),
    ProvinceName("70", "Bình Phước", successor="Đồng Nai"),
    ProvinceName("72", "Tây Ninh"),
    ProvinceName("74", "Bình Dương", successor="Hồ Chí Minh"),
    ProvinceName("75", "Đồng Nai"),
    ProvinceName("77", "Bà Rịa - Vũng Tàu", successor="Hồ Chí Minh"),
    ProvinceName("79", "Hồ Chí Minh", True),
    ProvinceName("80", "Long An", successor="Tây Ninh"),
    ProvinceName("82", "Tiền Giang", successor="Đồng Tháp"),
    ProvinceName("83", "Bến Tre", successor="Vĩnh Long"),
    ProvinceName("84", "Trà Vinh", successor="Vĩnh Long"),
    ProvinceName("86", "Vĩnh Long"),
    ProvinceName("87", "Đồng Tháp"),
    ProvinceName("89", "An Giang"),
    ProvinceName("91", "Kiên Giang", successor="An Giang"),
    ProvinceName("92", "Cần Thơ", True),
    ProvinceName("93", "Hậu Giang", successor="Cần Thơ"),
    ProvinceName("94", "Sóc Trăng", successor="Cần Thơ"),
    ProvinceName("95", "Bạc Liêu", successor="Cà Mau"),
    ProvinceName("96", "Cà Mau"),
)
# fmt: on

# Agencies of the central government: (name, short name, kind, parent's name).
# The Ministry of Information and Communications merged into the Ministry of S&T on 1/3/2025.
MINISTRY_NAME = "Bộ Khoa học và Công nghệ"
MIC_NAME = "Bộ Thông tin và Truyền thông"
COORDINATING_UNIT = "Vụ Phát triển khoa học và công nghệ địa phương"
NTMN_OFFICE = "Văn phòng Chương trình Nông thôn miền núi"
CENTRAL_AGENCIES = (
    (MINISTRY_NAME, "Bộ KH&CN", "ministry", None),
    (MIC_NAME, "Bộ TT&TT", "ministry", None),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT", "ministry", None),
    ("Bộ Y tế", "Bộ Y tế", "ministry", None),
    ("Bộ Công Thương", "Bộ Công Thương", "ministry", None),
    ("Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "ministry", None),
    (COORDINATING_UNIT, "Vụ Phát triển KH&CN địa phương", "ministry_unit", MINISTRY_NAME),
    (NTMN_OFFICE, "Văn phòng Chương trình NTMN", "ministry_unit", MINISTRY_NAME),
    ("Vụ Kế hoạch - Tài chính", "Vụ KH-TC", "ministry_unit", MINISTRY_NAME),
    ("Vụ Khoa học xã hội, nhân văn và tự nhiên", "Vụ KHXH&TN", "ministry_unit", MINISTRY_NAME),
    (
        "Vụ Khoa học và Công nghệ các ngành kinh tế - kỹ thuật",
        "Vụ KH&CN các ngành KT-KT",
        "ministry_unit",
        MINISTRY_NAME,
    ),
    ("Văn phòng các Chương trình trọng điểm cấp nhà nước", "Văn phòng Chương trình", "ministry_unit", MINISTRY_NAME),
    ("Cục Sở hữu trí tuệ", "Cục SHTT", "ministry_unit", MINISTRY_NAME),
    ("Cục Ứng dụng và Phát triển công nghệ", "Cục ƯD&PTCN", "ministry_unit", MINISTRY_NAME),
    ("Viện Ứng dụng công nghệ", "Viện ƯDCN", "institute", MINISTRY_NAME),
    ("Viện Chiến lược và Chính sách khoa học và công nghệ", "Viện CL&CS KH&CN", "institute", MINISTRY_NAME),
    ("Viện Khoa học Nông nghiệp Việt Nam", "VAAS", "institute", None),
    ("Viện Cây lương thực và Cây thực phẩm", "Viện CLT&CTP", "institute", None),
    ("Viện Chăn nuôi", "Viện Chăn nuôi", "institute", None),
    ("Viện Nghiên cứu Nuôi trồng thủy sản I", "RIA1", "institute", None),
    ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện Hàn lâm KH&CN VN", "institute", None),
    ("Viện Công nghệ sinh học", "Viện CNSH", "institute", None),
    ("Viện Công nghệ môi trường", "Viện CNMT", "institute", None),
    ("Viện Dinh dưỡng", "Viện Dinh dưỡng", "institute", None),
    ("Viện Dược liệu", "Viện Dược liệu", "institute", None),
    ("Học viện Nông nghiệp Việt Nam", "HV Nông nghiệp VN", "university", None),
    ("Trường Đại học Bách khoa Hà Nội", "ĐH Bách khoa Hà Nội", "university", None),
    ("Trường Đại học Nông Lâm Thành phố Hồ Chí Minh", "ĐH Nông Lâm TP.HCM", "university", None),
    ("Trường Đại học Cần Thơ", "ĐH Cần Thơ", "university", None),
    ("Trường Đại học Y Hà Nội", "ĐH Y Hà Nội", "university", None),
)

# Departments and units each province has, with the short form of their name.
PROVINCE_DEPARTMENTS = (
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("Sở Y tế", "Sở Y tế"),
    ("Sở Công Thương", "Sở Công Thương"),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
)
# Units under the provincial Department of S&T.
SCIENCE_DEPARTMENT_UNITS = (
    ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Trung tâm Ứng dụng tiến bộ KH&CN", "institute"),
    ("Chi cục Tiêu chuẩn Đo lường Chất lượng", "Chi cục TCĐLCL", "other"),
    ("Trung tâm Thông tin và Thống kê khoa học và công nghệ", "Trung tâm Thông tin KH&CN", "other"),
)
PROVINCE_OTHER_AGENCIES = (
    ("Bệnh viện Đa khoa tỉnh", "BVĐK", "other"),
    ("Trung tâm Khuyến nông", "TTKN", "other"),
    ("Trung tâm Kiểm soát bệnh tật", "CDC", "other"),
    ("Trường Cao đẳng Nông nghiệp", "CĐ Nông nghiệp", "university"),
    ("Trường Đại học", "ĐH", "university"),
)

# Enterprises and cooperatives: "Công ty Cổ phần Giống cây trồng Tân Lập", "Hợp tác xã Nông nghiệp Hồng Phong".
ENTERPRISE_FORMS = ("Công ty Cổ phần", "Công ty TNHH", "Công ty TNHH MTV")
ENTERPRISE_TRADES = (
    "Giống cây trồng",
    "Nông sản",
    "Thực phẩm sạch",
    "Chế biến thủy sản",
    "Dược liệu",
    "Cơ khí nông nghiệp",
    "Phân bón hữu cơ",
    "Công nghệ sinh học",
    "Thiết bị y tế",
    "Phần mềm",
    "Môi trường xanh",
    "Vật liệu xây dựng",
    "Thức ăn chăn nuôi",
    "Chè",
    "Cà phê",
    "Mây tre đan xuất khẩu",
    "Gốm sứ",
    "Nước sạch",
)
COOPERATIVE_TRADES = (
    "Dịch vụ nông nghiệp",
    "Nông nghiệp",
    "Nuôi trồng thủy sản",
    "Rau an toàn",
    "Chăn nuôi",
    "Dược liệu",
    "Nấm",
    "Chè",
    "Cây ăn quả",
    "Mây tre đan",
    "Làng nghề",
)

# Communes and brand words: common Vietnamese place names (not tied to a real province).
PLACE_WORDS = (
    "Tân Lập",
    "Hồng Phong",
    "Đông Hòa",
    "Quang Trung",
    "Nghĩa Hưng",
    "Phú Xuân",
    "Thanh Sơn",
    "Yên Bình",
    "Vĩnh Lợi",
    "An Khánh",
    "Minh Đức",
    "Tân Tiến",
    "Đồng Tâm",
    "Thống Nhất",
    "Hưng Đạo",
    "Xuân Lâm",
    "Bình Minh",
    "Cẩm Phú",
    "Long Hưng",
    "Tiên Phong",
    "Trung Hòa",
    "Đại Đồng",
    "Phước Hậu",
    "Mỹ Lộc",
    "Tam Hiệp",
    "Liên Hiệp",
    "Hải Thanh",
    "Vũ Hội",
    "Đức Thắng",
    "Hòa Tiến",
    "Kim Đường",
    "Phú Lương",
    "Lạc Thủy",
    "Ngọc Lâm",
    "Sơn Thủy",
    "Tây Hồ",
    "Bắc Sơn",
    "Nam Hải",
    "Đông Phương",
    "Hoàng Long",
    "Cát Tiên",
    "Vạn Phúc",
    "Quỳnh Lâm",
    "Hương Sơn",
    "Trường Xuân",
    "Thịnh Long",
    "An Bình",
    "Phúc Thọ",
)

FAMILY_NAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Đoàn",
    "Lương",
    "Mai",
    "Tạ",
    "Cao",
    "Chu",
    "Lưu",
    "Hà",
    "Kiều",
    "Tô",
    "Quách",
)
MIDDLE_NAMES = {
    "male": ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Ngọc", "Trọng", "Mạnh", "Tiến"),
    "female": ("Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Thùy", "Bích"),
}
GIVEN_NAMES = {
    "male": (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đức",
        "Giang",
        "Hải",
        "Hiếu",
        "Hùng",
        "Huy",
        "Khánh",
        "Khoa",
        "Lâm",
        "Long",
        "Minh",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Thành",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Hòa",
        "Đạt",
    ),
    "female": (
        "Anh",
        "Chi",
        "Dung",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Loan",
        "Mai",
        "Nga",
        "Ngọc",
        "Nhung",
        "Oanh",
        "Phương",
        "Quyên",
        "Thảo",
        "Thủy",
        "Trang",
        "Vân",
        "Yến",
        "Huyền",
    ),
}
POSITIONS = {
    "ministry": ("Bộ trưởng", "Thứ trưởng", "Vụ trưởng", "Phó Vụ trưởng", "Chuyên viên chính", "Chuyên viên"),
    "ministry_unit": ("Vụ trưởng", "Phó Vụ trưởng", "Chánh Văn phòng", "Chuyên viên chính", "Chuyên viên"),
    "people_committee": ("Chủ tịch Ủy ban nhân dân tỉnh", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Chánh Văn phòng"),
    "party_committee": ("Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy", "Trưởng Ban Tuyên giáo"),
    "department": ("Giám đốc Sở", "Phó Giám đốc Sở", "Trưởng phòng Quản lý khoa học", "Chuyên viên"),
    "institute": ("Viện trưởng", "Giám đốc Trung tâm", "Nghiên cứu viên chính", "Nghiên cứu viên", "Kỹ sư"),
    "university": ("Hiệu trưởng", "Trưởng khoa", "Giảng viên chính", "Giảng viên", "Nghiên cứu sinh"),
    "enterprise": ("Giám đốc", "Phó Giám đốc", "Trưởng phòng Kỹ thuật", "Kỹ sư"),
    "cooperative": ("Giám đốc Hợp tác xã", "Phó Giám đốc Hợp tác xã", "Kỹ thuật viên"),
    "other": ("Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Bác sĩ chuyên khoa II", "Kỹ sư", "Chuyên viên"),
}

# Titles of tasks: for each field, what is done and to what.
TASK_TOPICS = {
    TaskField.AGRICULTURE: (
        (
            "Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình sản xuất",
            "Xây dựng mô hình liên kết sản xuất và tiêu thụ",
            "Chuyển giao công nghệ nhân giống và thâm canh",
            "Tạo lập, quản lý và phát triển nhãn hiệu chứng nhận cho",
            "Ứng dụng công nghệ cao trong sản xuất",
            "Nghiên cứu tuyển chọn và phát triển",
        ),
        (
            "lúa chất lượng cao",
            "nấm rơm và nấm sò",
            "tôm thẻ chân trắng",
            "cá rô phi đơn tính",
            "bưởi đặc sản",
            "chè xanh",
            "cam sành",
            "gà thả vườn",
            "bò thịt chất lượng cao",
            "rau an toàn theo VietGAP",
            "dược liệu dưới tán rừng",
            "hoa lan",
            "vải thiều",
            "cà phê",
            "hồ tiêu",
            "mật ong",
            "ngao thương phẩm",
            "lợn an toàn sinh học",
            "khoai tây vụ đông",
            "dưa lưới trong nhà màng",
        ),
    ),
    TaskField.INDUSTRY: (
        (
            "Ứng dụng công nghệ tiên tiến trong sản xuất",
            "Đổi mới công nghệ và thiết bị",
            "Hỗ trợ doanh nghiệp nâng cao năng suất chất lượng",
            "Ứng dụng tự động hóa trong",
        ),
        (
            "gốm sứ mỹ nghệ",
            "mây tre đan xuất khẩu",
            "cơ khí chế tạo máy nông nghiệp",
            "chế biến nông sản sau thu hoạch",
            "bảo quản thủy sản",
            "gạch không nung",
            "chế biến thực phẩm",
            "dệt may",
            "chiếu cói",
        ),
    ),
    TaskField.ENVIRONMENT: (
        (
            "Ứng dụng công nghệ",
            "Xây dựng mô hình",
            "Nghiên cứu giải pháp",
        ),
        (
            "xử lý chất thải chăn nuôi",
            "xử lý nước thải làng nghề",
            "quan trắc chất lượng nước mặt",
            "ứng phó xâm nhập mặn",
            "sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp",
            "xử lý rác thải sinh hoạt nông thôn",
            "cấp nước sạch vùng ven biển",
            "phục hồi rừng ngập mặn",
        ),
    ),
    TaskField.HEALTH: (
        (
            "Ứng dụng kỹ thuật tiên tiến trong",
            "Nghiên cứu giải pháp can thiệp",
            "Triển khai quy trình",
        ),
        (
            "sàng lọc ung thư sớm",
            "phục hồi chức năng sau đột quỵ",
            "y học cổ truyền",
            "chăm sóc sức khỏe người cao tuổi",
            "kiểm soát nhiễm khuẩn bệnh viện",
            "dự phòng đái tháo đường",
            "can thiệp mạch vành qua da",
        ),
    ),
    TaskField.ICT: (
        (
            "Xây dựng hệ thống thông tin và",
            "Ứng dụng công nghệ số trong",
            "Xây dựng nền tảng",
        ),
        (
            "cơ sở dữ liệu quản lý nhiệm vụ khoa học và công nghệ",
            "truy xuất nguồn gốc nông sản",
            "quản lý đất đai bằng GIS và ảnh viễn thám",
            "dịch vụ công trực tuyến",
            "chuyển đổi số hợp tác xã",
            "giám sát môi trường thời gian thực",
        ),
    ),
    TaskField.SOCIAL: (
        (
            "Nghiên cứu, đề xuất giải pháp",
            "Bảo tồn và phát huy giá trị",
            "Nghiên cứu cơ sở khoa học cho",
        ),
        (
            "di sản văn hóa phi vật thể",
            "phát triển du lịch cộng đồng",
            "lịch sử Đảng bộ địa phương",
            "nâng cao năng lực cán bộ cơ sở",
            "phát triển nguồn nhân lực khoa học và công nghệ",
            "làng nghề truyền thống",
        ),
    ),
    TaskField.OTHER: (
        ("Hỗ trợ", "Thúc đẩy", "Phát triển"),
        (
            "thị trường khoa học và công nghệ",
            "doanh nghiệp khởi nghiệp đổi mới sáng tạo",
            "tiêu chuẩn, đo lường, chất lượng",
            "sở hữu trí tuệ cho sản phẩm đặc sản",
        ),
    ),
}

# What a task's outputs are called, by kind; "{topic}" is the task's topic, "{place}" its commune.
OUTPUT_NAMES = {
    OutputKind.MODEL: ("Mô hình {topic} tại xã {place}", "Mô hình trình diễn {topic}"),
    OutputKind.TECHNOLOGY: ("Công nghệ {topic} được chuyển giao", "Gói công nghệ {topic}"),
    OutputKind.BRAND: ('Nhãn hiệu chứng nhận "{place}" cho {topic}', 'Nhãn hiệu tập thể "{place}"'),
    OutputKind.VARIETY: ("Giống {topic} {code}", "Giống mới {code}"),
    OutputKind.PROCESS: ("Quy trình kỹ thuật {topic}", "Quy trình sản xuất {topic}"),
    OutputKind.PATENT: ("Giải pháp hữu ích về {topic}", "Bằng độc quyền sáng chế về {topic}"),
    OutputKind.PUBLICATION: ("Bài báo khoa học về {topic}", "Báo cáo khoa học về {topic}"),
    OutputKind.TRAINING: ("Lớp tập huấn kỹ thuật {topic}", "Đào tạo kỹ thuật viên về {topic}"),
    OutputKind.OTHER: ("Báo cáo tổng hợp kết quả nhiệm vụ", "Sổ tay hướng dẫn {topic}"),
}
# How often each kind of output is recorded, and the most one row counts ("12 models" is one row).
OUTPUT_KIND_WEIGHTS = {
    OutputKind.MODEL: 30,
    OutputKind.TECHNOLOGY: 12,
    OutputKind.BRAND: 4,
    OutputKind.VARIETY: 2,
    OutputKind.PROCESS: 15,
    OutputKind.PATENT: 2,
    OutputKind.PUBLICATION: 12,
    OutputKind.TRAINING: 18,
    OutputKind.OTHER: 5,
}
OUTPUT_MAX_QUANTITY = {
    OutputKind.MODEL: 12,
    OutputKind.TECHNOLOGY: 3,
    OutputKind.BRAND: 1,
    OutputKind.VARIETY: 1,
    OutputKind.PROCESS: 4,
    OutputKind.PATENT: 1,
    OutputKind.PUBLICATION: 5,
    OutputKind.TRAINING: 20,
    OutputKind.OTHER: 1,
}
OUTPUT_UNITS = OUTPUT_DEFAULT_UNITS
# Units an output of "Khác" may be counted in besides the default: listed apart in every total, never added.
OTHER_OUTPUT_UNITS = ("sản phẩm", "cơ sở dữ liệu", "doanh nghiệp", "phần mềm")
# Where the outputs stand in their review: most verified, the rest on their way (so every list shows each state).
OUTPUT_STATUS_WEIGHTS = {"verified": 80, "submitted": 10, "recorded": 6, "returned": 4}
OUTPUT_RETURN_REASONS = (
    "Đề nghị bổ sung số và ngày của văn bản chứng minh kết quả.",
    "Số lượng chưa khớp với biên bản nghiệm thu.",
    "Đề nghị đính kèm bản chụp giấy chứng nhận.",
)
# Who recognises an output, for the decision number: "Quyết định số 123/QĐ-SHTT ngày 05/06/2019".
RECOGNISING_BODIES = {
    OutputKind.BRAND: "QĐ-SHTT",
    OutputKind.PATENT: "QĐ-SHTT",
    OutputKind.VARIETY: "QĐ-BNN-TT",
    OutputKind.TECHNOLOGY: "QĐ-UBND",
}

REPORT_SUMMARIES = (
    "Đã hoàn thành khảo sát, lựa chọn hộ tham gia và ký hợp đồng chuyển giao công nghệ.",
    "Đã tổ chức tập huấn kỹ thuật cho người dân và cán bộ cơ sở.",
    "Mô hình đang được triển khai đúng tiến độ, cây trồng và vật nuôi sinh trưởng tốt.",
    "Đã nghiệm thu cơ sở các nội dung chính, đang hoàn thiện báo cáo tổng kết.",
    "Đã lắp đặt thiết bị và vận hành thử dây chuyền.",
    "Đã thu thập số liệu, đang phân tích và đánh giá hiệu quả kinh tế.",
)
REPORT_PROBLEMS = (
    "",
    "",
    "Thời tiết bất thường làm chậm tiến độ mùa vụ.",
    "Giải ngân kinh phí đối ứng của địa phương còn chậm.",
    "Giá vật tư đầu vào tăng so với dự toán.",
)
REPORT_NEXT_STEPS = (
    "Tiếp tục theo dõi, ghi chép số liệu và tổng kết mô hình.",
    "Tổ chức hội thảo đầu bờ, nhân rộng mô hình.",
    "Hoàn thiện hồ sơ nghiệm thu cấp tỉnh.",
)
RETURN_REASONS = (
    "Đề nghị bổ sung số liệu giải ngân kinh phí theo từng nguồn.",
    "Báo cáo chưa có xác nhận của cơ quan chủ trì.",
    "Tỷ lệ hoàn thành chưa khớp với khối lượng công việc đã thực hiện.",
)
MEETING_PLACES = ("Hà Nội", "trụ sở Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ", "trực tuyến")
RECOMMENDATIONS = (
    "Đề nghị Bộ tiếp tục hỗ trợ kinh phí để nhân rộng các mô hình đã thành công.",
    "Đề nghị tỉnh bố trí đủ kinh phí đối ứng theo cam kết.",
    "Đề nghị đẩy nhanh thủ tục đăng ký bảo hộ nhãn hiệu cho sản phẩm đặc sản.",
    "Đề nghị tăng cường đào tạo cán bộ quản lý khoa học và công nghệ cấp huyện.",
    "Đề nghị sớm ban hành hướng dẫn đánh giá hiệu quả sau chuyển giao công nghệ.",
)
