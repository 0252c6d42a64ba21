package natsbus

import (
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats-server/v2/server"
)

// rankUsers are the bus users of ranks of job (nil for none).
func rankUsers(token, job string, ranks []int) []*server.User {
	if len(ranks) == 0 {
		return nil
	}
	users := make([]*server.User, 0, len(ranks))
	for _, r := range ranks {
		pub, sub := jobenv.RankPermissions(job, r)
		users = append(users, &server.User{
			Username: jobenv.RankUser(r),
			Password: jobenv.RankPassword(token, job, r),
			Permissions: &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: pub},
				Subscribe: &server.SubjectPermission{Allow: sub},
			},
		})
	}
	return users
}
