//! Messages of instruments, bookings, maintenance windows, qualifications and calendar feeds.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Instruments.
    (
        "instrument.create.forbidden",
        "instruments are registered by admins of the owning organization",
        "只有所属组织的管理员可以登记仪器",
    ),
    (
        "instrument.manage.forbidden",
        "only the testing center's staff (admins of the owning organization) manage this instrument",
        "只有检测中心的工作人员（所属组织的管理员）可以管理该仪器",
    ),
    (
        "instrument.retired.not_editable",
        "a retired instrument can no longer be changed",
        "已停用的仪器不能再修改",
    ),
    (
        "instrument.status.retire_separately",
        "cannot be set to RETIRED here: use retireInstrument",
        "不能在此设为 RETIRED，请使用 retireInstrument 停用仪器",
    ),
    // Owners of co-built instruments.
    (
        "instrument.owners.count",
        "name 1 to {max} owners",
        "须列出 1 至 {max} 个所有方",
    ),
    (
        "instrument.owners.repeated",
        "each organization may be named once",
        "每个组织只能列出一次",
    ),
    (
        "instrument.owners.share_range",
        "each share is 1 to 100 percent",
        "每个份额须在 1% 至 100% 之间",
    ),
    (
        "instrument.owners.share_total",
        "the shares must add up to 100 percent, not {total}",
        "份额合计须为 100%，而不是 {total}%",
    ),
    (
        "instrument.owners.outside_center",
        "every owner must belong to a legal entity that runs or co-builds the instrument's center",
        "每个所有方都须属于运营或共建该仪器所在中心的法人单位",
    ),
    // Testing centers.
    (
        "center.manage.forbidden",
        "only the admins of the organization running the center manage it",
        "只有运营该中心的组织的管理员可以管理该中心",
    ),
    (
        "center.unknown",
        "no such testing center",
        "该检测中心不存在",
    ),
    (
        "center.organization.outside",
        "the organization's legal entity neither runs nor co-builds this center",
        "该组织所属的法人单位既不运营也不共建该中心",
    ),
    (
        "center.cobuilders.too_many",
        "at most {max} co-builders",
        "共建单位最多 {max} 个",
    ),
    (
        "center.cobuilders.own",
        "the organization running the center is not its co-builder",
        "运营该中心的组织不能同时作为共建单位",
    ),
    (
        "organization.legal_entity.forbidden",
        "only platform staff mark legal entities",
        "只有平台工作人员可以标记法人单位",
    ),
    (
        "assessment.forbidden",
        "the assessment figures are for the centers' admins, platform staff and supervisors",
        "只有中心的管理员、平台工作人员和监管人员可以查看考核数据",
    ),
    // Maintenance windows.
    (
        "maintenance_window.end.before_start",
        "must be after start",
        "必须晚于开始时间",
    ),
    // Qualifications.
    ("qualification.user.unknown", "no such user", "该用户不存在"),
    (
        "qualification.expiry.past",
        "must be in the future",
        "必须晚于当前时间",
    ),
    (
        "qualification.list.forbidden",
        "only the testing center's staff see qualifications",
        "只有检测中心的工作人员可以查看使用资格",
    ),
    // Bookings: the slot.
    (
        "booking.time.not_whole_minute",
        "must be on a whole minute",
        "必须是整分钟",
    ),
    (
        "booking.end.before_start",
        "must be after start",
        "必须晚于开始时间",
    ),
    (
        "booking.too_short",
        "a booking lasts at least {min} minutes",
        "预约时长至少 {min} 分钟",
    ),
    (
        "booking.too_long",
        "a booking lasts at most {max} hours",
        "预约时长最多 {max} 小时",
    ),
    (
        "booking.start.past",
        "must not be in the past",
        "不能早于当前时间",
    ),
    (
        "booking.start.beyond_horizon",
        "bookings open at most {days} days ahead",
        "最多只能提前 {days} 天预约",
    ),
    // Bookings: the request.
    (
        "booking.instrument.not_available",
        "the instrument is {status} and cannot be booked",
        "该仪器当前状态为 {status}，不能预约",
    ),
    (
        "booking.organization.not_member",
        "you can book only for an organization you belong to",
        "只能为你所属的组织预约",
    ),
    (
        "booking.organization.none",
        "join an organization before booking instruments",
        "请先加入一个组织再预约仪器",
    ),
    (
        "booking.qualification.required",
        "{name} requires a valid qualification; ask the testing center's staff",
        "预约仪器“{name}”需要有效的使用资格，请联系检测中心的工作人员",
    ),
    (
        "booking.maintenance.overlap",
        "the instrument is under maintenance from {start} to {end} ({reason})",
        "该仪器在 {start} 至 {end} 期间维护（{reason}），不能预约",
    ),
    (
        "booking.held_for_waitlist",
        "this time is held until {until} for the next user of the instrument's waiting list",
        "该时段已为仪器候补名单中的下一位用户保留至 {until}",
    ),
    // Recurring bookings.
    (
        "booking.recurring.weeks",
        "a recurring booking spans 2 to {max} weeks",
        "周期预约须为 2 至 {max} 周",
    ),
    (
        "booking.recurring.occurrence",
        "occurrence {occurrence} (from {start}): {reason}; no occurrence was booked",
        "第 {occurrence} 次（{start} 起）：{reason}；所有各次均未预约",
    ),
    // Ratings.
    (
        "rating.score.range",
        "must be between 1 and 5",
        "必须在 1 到 5 之间",
    ),
    (
        "rating.not_booker",
        "only the user who booked rates a booking",
        "只有预约人可以评价该预约",
    ),
    (
        "rating.not_completed",
        "a booking is rated once it is completed",
        "预约完成后才能评价",
    ),
    (
        "rating.exists",
        "this booking is rated already",
        "该预约已评价过",
    ),
    // Waiting lists.
    (
        "waitlist.window.free",
        "this time is free: book it instead of joining the waiting list",
        "该时段空闲，请直接预约，无需候补",
    ),
    (
        "waitlist.duplicate",
        "you are on the waiting list for this time already",
        "你已在该时段的候补名单中",
    ),
    (
        "waitlist.too_many",
        "at most {max} places on waiting lists at once; leave one first",
        "最多同时候补 {max} 个时段；请先退出一个",
    ),
    (
        "waitlist.not_offered",
        "this place on the waiting list holds no offer to accept",
        "该候补没有可接受的空出时段",
    ),
    (
        "waitlist.offer.expired",
        "the offer expired at {until} and passed to the next in line",
        "该时段的保留已于 {until} 到期，已转给下一位候补",
    ),
    (
        "waitlist_entry.not_found",
        "waitlist entry not found",
        "候补记录不存在",
    ),
    // Bookings: decisions.
    (
        "booking.cancel.forbidden",
        "only the booker and the testing center's staff cancel a booking",
        "只有预约人和检测中心的工作人员可以取消预约",
    ),
    (
        "booking.decide.forbidden",
        "only the testing center's staff approve, reject and complete bookings",
        "只有检测中心的工作人员可以批准、驳回和完成预约",
    ),
    (
        "booking.actual_end.before_start",
        "must be after actualStart",
        "必须晚于实际开始时间 actualStart",
    ),
    (
        "booking.complete.not_started",
        "a booking is completed after it started",
        "预约开始之后才能完成",
    ),
    // Availability and usage.
    (
        "availability.to.before_from",
        "must be after from",
        "必须晚于起始时间 from",
    ),
    (
        "availability.period.too_long",
        "ask for at most {max} days at a time",
        "一次最多查询 {max} 天",
    ),
    (
        "usage.to.before_from",
        "must be after from",
        "必须晚于起始时间 from",
    ),
    (
        "usage.forbidden",
        "usage statistics are for the testing center's staff and coordinators",
        "只有检测中心的工作人员和协调员可以查看使用统计",
    ),
    // Calendar feeds.
    (
        "calendar_feed.instrument.unknown",
        "no such instrument",
        "该仪器不存在",
    ),
    (
        "calendar_feed.too_many",
        "at most {max} calendar feeds at once: revoke one first",
        "最多同时保留 {max} 个日历订阅，请先撤销一个",
    ),
];
